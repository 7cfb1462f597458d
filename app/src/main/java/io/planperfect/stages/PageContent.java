package io.planperfect.stages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What a fetched HTML page says, read with jsoup: title, meta description, headings in order, the
 * main text (from {@code <main>} or {@code <article>} when there is one, without scripts, navigation,
 * headers and footers), its blocks (headings and paragraphs, in order) and its links.
 */
public record PageContent(String title, String metaDescription, List<Heading> headings, String text,
    List<Block> blocks, List<String> links) {
  private static final int MAX_LINKS = 500;
  private static final String BOILERPLATE = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe";

  /** A heading: its level (1 to 6) and text. */
  public record Heading(int level, String text) {}

  /** A run of the page's main text: a heading (level 1..6) or a paragraph or list item (level 0). */
  public record Block(int level, String text) {
    public boolean isHeading() {
      return level > 0;
    }
  }

  public PageContent {
    headings = List.copyOf(headings);
    blocks = List.copyOf(blocks);
    links = List.copyOf(links);
  }

  public static PageContent ofHtml(String html, String baseUrl) {
    Document document = Jsoup.parse(html, baseUrl);
    String title = document.title().trim();
    String meta = document.select("meta[name=description]").attr("content").trim();
    List<String> links = links(document);
    document.select(BOILERPLATE).remove();
    Element main = mainElement(document);
    List<Heading> headings = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    for (Element element : main.select("h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td")) {
      String text = element.text().trim();
      if (text.isEmpty() || hasBlockAncestorInSelection(element)) {
        continue;
      }
      int level = headingLevel(element);
      if (level > 0) {
        headings.add(new Heading(level, text));
      }
      blocks.add(new Block(level, text));
    }
    if (title.isEmpty() && !headings.isEmpty()) {
      title = headings.get(0).text();
    }
    return new PageContent(title, meta, headings, main.text().trim(), blocks, links);
  }

  public static PageContent ofText(String text) {
    List<Block> blocks = new ArrayList<>();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      if (!paragraph.isBlank()) {
        blocks.add(new Block(0, paragraph.trim().replaceAll("\\s+", " ")));
      }
    }
    return new PageContent("", "", List.of(), text.trim(), blocks, List.of());
  }

  public List<String> paragraphs() {
    return blocks.stream().filter(b -> !b.isHeading()).map(Block::text).toList();
  }

  private static Element mainElement(Document document) {
    Element main = document.selectFirst("main, [role=main], article");
    return main != null ? main : document.body();
  }

  private static int headingLevel(Element element) {
    String tag = element.tagName().toLowerCase(Locale.ROOT);
    return tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1)) ? tag.charAt(1) - '0' : 0;
  }

  /** A list item inside a table cell, or a paragraph inside a list item, is read once, with its container. */
  private static boolean hasBlockAncestorInSelection(Element element) {
    for (Element parent = element.parent(); parent != null; parent = parent.parent()) {
      String tag = parent.tagName().toLowerCase(Locale.ROOT);
      if (tag.equals("li") || tag.equals("td") || tag.equals("blockquote") || tag.equals("p")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> links(Document document) {
    Set<String> links = new LinkedHashSet<>();
    for (Element anchor : document.select("a[href]")) {
      String href = anchor.absUrl("href");
      if (href.startsWith("http://") || href.startsWith("https://")) {
        links.add(href);
      }
      if (links.size() >= MAX_LINKS) {
        break;
      }
    }
    return new ArrayList<>(links);
  }
}
