package io.planperfect.fetch;

/**
 * A request that could not be completed for a reason that may pass (no answer within the time
 * cap, a refused or reset connection, a name that does not resolve): the stage's retry policy decides.
 */
public final class FetchFailed extends RuntimeException {
  private final String url;

  public FetchFailed(String url, String message, Throwable cause) {
    super("fetch failed: " + url + ": " + message, cause);
    this.url = url;
  }

  public String url() {
    return url;
  }
}
