package io.planperfect.stages.writer;

import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in writer used when no language model is configured. Every choice is derived from
 * a stable hash of the title and a running counter, so the same inputs give the same text.
 * An instance remembers the sentences it has produced and avoids repeating them, so use one
 * instance per document.
 */
public final class OfflineWriter {
  private static final int META_LIMIT = 160;
  private static final Set<String> STOP_WORDS = Set.of(
      "about", "after", "before", "best", "complete", "does", "from", "guide", "into", "your",
      "that", "this", "what", "when", "where", "which", "with", "without", "why", "how", "tips",
      "ultimate", "ways", "will", "have", "more", "most", "than", "then", "them", "they", "their");

  private final String title;
  private final List<String> keywords;
  private final List<String> openers;
  private final SentenceTemplate templates;
  private final Set<String> used = new HashSet<>();
  /** The filled templates used, without opener or tail: a sentence that reuses one only says the same thing again. */
  private final Set<String> usedCores = new HashSet<>();
  private final Set<Integer> usedTemplates = new HashSet<>();
  private int counter;
  // why: compose() is followed by accept() of the sentence it made when the sentence is kept
  private String usedCoresPending;
  private int pendingTemplate;

  public OfflineWriter(String title, List<String> keywords, String tone, String audience) {
    if (keywords.isEmpty()) {
      throw new IllegalArgumentException("the writer needs at least one keyword");
    }
    this.title = title;
    this.keywords = List.copyOf(keywords);
    this.openers = SentenceBank.openers(tone);
    this.templates = new SentenceTemplate(audience == null ? "readers" : audience, this.keywords);
  }

  /** Title words that say something on their own and are not part of the keyword. */
  public List<String> relatedTerms(String keyword) {
    List<String> terms = new ArrayList<>();
    for (String word : Text.words(title)) {
      String lower = word.toLowerCase(Locale.ROOT);
      boolean meaningful = lower.length() >= 4 && !STOP_WORDS.contains(lower) && !lower.matches("\\d+");
      if (meaningful && !echoesKeyword(lower, keyword) && !terms.contains(lower)) {
        terms.add(lower);
      }
    }
    return terms;
  }

  /** True when a title word is a keyword word or a form of one ("tomatoes" for "tomato"). */
  private static boolean echoesKeyword(String titleWord, String keyword) {
    for (String keywordWord : Text.words(keyword.toLowerCase(Locale.ROOT))) {
      if (titleWord.equals(keywordWord) || keywordWord.length() >= 4 && titleWord.startsWith(keywordWord)) {
        return true;
      }
    }
    return false;
  }

  public String sectionHeading(String keyword) {
    List<String> options = SentenceBank.SECTION_HEADINGS;
    return templates.fill(options.get(StableHash.pick(options.size(), title, "h2", keyword)), keyword, keyword);
  }

  /** Two subheadings for a keyword section; neighbouring sections get different pairs. */
  public List<String> subheadings(String keyword, int keywordIndex) {
    List<List<String>> pairs = SentenceBank.SUBHEADING_PAIRS;
    int pair = (StableHash.pick(pairs.size(), title, "h3") + keywordIndex) % pairs.size();
    return pairs.get(pair).stream().map(t -> templates.fill(t, keyword, keyword)).toList();
  }

  /** Questions rotating over the keywords, each keyword asked about a different kind of thing. */
  public List<Faq> faqQuestions(int count) {
    List<String> kinds = SentenceBank.FAQ_KINDS;
    List<Faq> questions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String keyword = keywords.get(i % keywords.size());
      int offset = StableHash.pick(kinds.size(), title, "faq", keyword);
      String kind = kinds.get((offset + i / keywords.size()) % kinds.size());
      questions.add(new Faq(kind, keyword, templates.fill(SentenceBank.FAQ_QUESTIONS.get(kind), keyword, keyword)));
    }
    return questions;
  }

  /** A description of at most 160 characters that names the first keyword early. */
  public String metaDescription() {
    String first = keywords.get(0);
    String full = title + ": a practical guide to " + keywordPhrase()
        + ", with clear steps, common mistakes and answers to frequent questions.";
    if (full.length() <= META_LIMIT) {
      return full;
    }
    String shorter = "A practical guide to " + first + ": clear steps, common mistakes and answers to frequent questions.";
    return shorter.length() <= META_LIMIT ? shorter : shorter.substring(0, META_LIMIT - 1).trim() + "…";
  }

  public List<String> intro(int words) {
    return paragraphs(openings(SentenceBank.INTRO, "intro", 2), this::rotatingSentence, words, 1);
  }

  public List<String> body(String keyword, int words) {
    return paragraphs(List.of(), () -> nextSentence(keyword), words, 1);
  }

  public List<String> faqAnswer(Faq faq, int words) {
    String template = SentenceBank.FAQ_ANSWERS.getOrDefault(faq.kind(), SentenceBank.GENERIC_ANSWER);
    String opening = templates.fill(template, faq.keyword(), faq.keyword());
    return paragraphs(List.of(opening), () -> nextSentence(faq.keyword()), words, 1);
  }

  public List<String> conclusion(int words) {
    return paragraphs(openings(SentenceBank.CONCLUSION, "conclusion", 2), this::rotatingSentence, words, 1);
  }

  private List<String> openings(List<String> bank, String section, int count) {
    int start = StableHash.pick(bank.size(), title, section);
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chosen.add(templates.fill(bank.get((start + i) % bank.size()), keywords.get(0), keywords.get(0)));
    }
    return chosen;
  }

  /**
   * Sentences grouped into paragraphs until about {@code words} words are written: a sentence is
   * added while at least half of it fits, so each section lands within half a sentence of target.
   */
  private List<String> paragraphs(List<String> openings, Supplier<String> source, int words, int minSentences) {
    List<String> sentences = new ArrayList<>();
    int written = 0;
    for (String opening : openings) {
      int length = Text.wordCount(opening);
      if (sentences.size() < minSentences || written + length / 2 < words) {
        sentences.add(accept(opening));
        written += length;
      }
    }
    while (true) {
      String candidate = source.get();
      int length = Text.wordCount(candidate);
      if (sentences.size() >= minSentences && written + length / 2 >= words) {
        return ParagraphGrouping.group(sentences, title);
      }
      sentences.add(accept(candidate));
      written += length;
    }
  }

  private String rotatingSentence() {
    return nextSentence(keywords.get(counter % keywords.size()));
  }

  /**
   * A body sentence that says something new in this document, chosen by hash and then by scanning:
   * first one whose template is not yet used at all (the same template about another keyword reads
   * as the same sentence), then one whose filled template (its core, without opener and tail) is not
   * yet used, then any whole sentence not yet used (QA's near-duplicate check reports those).
   */
  private String nextSentence(String keyword) {
    int call = counter++;
    List<String> terms = relatedTerms(keyword);
    int templates = SentenceBank.BODY.size();
    int space = templates * openers.size() * SentenceBank.TAILS.size();
    int start = StableHash.pick(space, title, keyword, call, "scan");
    for (int step = 0; step < templates; step++) {
      int index = (start + step) % space;
      if (!usedTemplates.contains(index % templates)) {
        return compose(index, keyword, terms);
      }
    }
    for (int attempt = 0; attempt < 32; attempt++) {
      int index = StableHash.pick(space, title, keyword, call, attempt);
      if (!usedCores.contains(core(index, keyword, terms))) {
        return compose(index, keyword, terms);
      }
    }
    for (int step = 0; step < templates; step++) {
      int index = (start + step) % space;
      if (!usedCores.contains(core(index, keyword, terms))) {
        return compose(index, keyword, terms);
      }
    }
    for (int step = 0; step < space; step++) {
      String sentence = compose((start + step) % space, keyword, terms);
      if (!used.contains(sentence)) {
        return sentence;
      }
    }
    // why: a very long text about one keyword can exhaust the combinations; repeating a
    // sentence is then better than failing, and the QA stage reports it.
    return compose(start, keyword, terms);
  }

  private String core(int index, String keyword, List<String> terms) {
    String term = terms.isEmpty() ? keyword : terms.get(index % terms.size());
    return templates.fill(SentenceBank.BODY.get(index % SentenceBank.BODY.size()), keyword, term);
  }

  private String compose(int index, String keyword, List<String> terms) {
    List<String> bank = SentenceBank.BODY;
    String template = bank.get(index % bank.size());
    int rest = index / bank.size();
    String opener = openers.get(rest % openers.size());
    String tail = SentenceBank.TAILS.get((rest / openers.size()) % SentenceBank.TAILS.size());
    String term = terms.isEmpty() ? keyword : terms.get(index % terms.size());
    String sentence = templates.fill(template, keyword, term);
    usedCoresPending = sentence;
    pendingTemplate = index % bank.size();
    return SentenceTemplate.decorate(sentence, opener, templates.fill(tail, keyword, term));
  }

  private String accept(String sentence) {
    used.add(sentence);
    if (usedCoresPending != null) {
      usedCores.add(usedCoresPending);
      usedTemplates.add(pendingTemplate);
      usedCoresPending = null;
    }
    return sentence;
  }

  private String keywordPhrase() {
    return keywords.size() == 1 ? keywords.get(0) : keywords.get(0) + ", " + keywords.get(1) + " and more";
  }
}
