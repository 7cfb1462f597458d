package io.planperfect.stages.pageperfect;

import java.util.List;

/**
 * What a rewrite is asked to do: the page (address, title, meta description, headings), the topics it
 * misses (gaps) and the ones it covers, each with its keywords and coverage, and all target keywords.
 */
public record RewriteBrief(String url, String title, String metaDescription, List<String> headings,
    List<Topic> gaps, List<Topic> covered, List<String> keywords, double threshold) {

  /** A keyword cluster as the rewrite sees it. */
  public record Topic(String name, List<String> keywords, double coverage, String bestHeading) {}

  public RewriteBrief {
    headings = List.copyOf(headings);
    gaps = List.copyOf(gaps);
    covered = List.copyOf(covered);
    keywords = List.copyOf(keywords);
  }
}
