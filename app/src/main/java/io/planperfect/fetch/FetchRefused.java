package io.planperfect.fetch;

import io.planperfect.pipeline.PermanentStageFailure;

/**
 * A request the fetcher will not make, by a named rule ({@code loopback}, {@code private},
 * {@code odd_ipv4_spelling}, {@code redirects}, {@code max_bytes}, {@code robots}, …). Thrown before
 * any socket is opened for address rules; retrying cannot change the answer, so a stage that lets it
 * through is dead-lettered at once with the rule in its reason.
 */
public final class FetchRefused extends PermanentStageFailure {
  private final String rule;
  private final String url;

  public FetchRefused(String rule, String url, String detail) {
    super("fetch refused by rule " + rule + ": " + url + " (" + detail + ")");
    this.rule = rule;
    this.url = url;
  }

  /** The rule's name, stable for operators and tests. */
  public String rule() {
    return rule;
  }

  public String url() {
    return url;
  }
}
