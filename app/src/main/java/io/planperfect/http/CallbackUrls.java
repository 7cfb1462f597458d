package io.planperfect.http;

import io.planperfect.fetch.FetchRefused;
import io.planperfect.fetch.GuardedFetcher;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks a {@code callback_url} at intake (a job's or a batch's) by the rules of the fetcher its
 * delivery will go through: an absolute http(s) URL of at most {@link #MAX_LENGTH} characters whose
 * host no address rule refuses (private, loopback, link-local, metadata... unless
 * {@code PLANPERFECT_FETCH_ALLOW} opens it). A refusal is a 400 naming the field, before anything is stored.
 */
public final class CallbackUrls {
  static final int MAX_LENGTH = 2_048;

  private final GuardedFetcher fetcher;

  public CallbackUrls(GuardedFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** The URL, checked (null stays null); {@code field} is how the request's body names it. */
  String check(String url, String field) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && url.length() <= MAX_LENGTH) {
        fetcher.check(url);
        return url;
      }
    } catch (URISyntaxException e) {
      // answered below
    } catch (FetchRefused e) {
      throw ApiError.invalid(field, field + " refused by rule " + e.rule()
          + ": callbacks reach public addresses only (PLANPERFECT_FETCH_ALLOW opens others)");
    }
    throw ApiError.invalid(field, field + " must be an absolute http or https URL of at most " + MAX_LENGTH + " characters");
  }
}
