package io.planperfect.fetch;

/**
 * Per-request choices: whether robots.txt is honoured (yes unless a job says otherwise), and whether
 * the answer must be HTML or text (a page read; a webhook's answer need not be).
 */
public record FetchOptions(boolean honourRobots, boolean pagesOnly) {
  public static final FetchOptions PAGE = new FetchOptions(true, true);
  public static final FetchOptions PAGE_IGNORING_ROBOTS = new FetchOptions(false, true);
  /** For a request to an address a user gave for a callback: no robots.txt, any answer type. */
  public static final FetchOptions CALLBACK = new FetchOptions(false, false);
}
