package io.planperfect.stages;

import java.util.Locale;

/** Builds page addresses from a site domain; nothing here is ever fetched. */
public final class Urls {
  private Urls() {}

  /** The site root for a domain given with or without a scheme, e.g. "https://example.com". */
  public static String siteRoot(String domain) {
    String trimmed = domain.trim().replaceAll("/+$", "");
    boolean hasScheme = trimmed.toLowerCase(Locale.ROOT).matches("^https?://.*");
    return hasScheme ? trimmed : "https://" + trimmed;
  }

  public static String page(String domain, String slug) {
    return siteRoot(domain) + "/" + slug;
  }
}
