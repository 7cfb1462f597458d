package io.planperfect.fetch;

import java.util.List;

/**
 * A response the fetcher read within its caps: the address asked for, the one that answered after
 * redirects, the HTTP status (any: the caller decides what a 404 means), the media type, the decoded
 * body and how many bytes it had, and each redirect hop followed.
 */
public record FetchedPage(String requestedUrl, String finalUrl, int status, String contentType, String body,
    long bytes, List<String> redirects) {

  public FetchedPage {
    redirects = List.copyOf(redirects);
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public boolean isHtml() {
    return contentType != null && (contentType.startsWith("text/html") || contentType.startsWith("application/xhtml"));
  }
}
