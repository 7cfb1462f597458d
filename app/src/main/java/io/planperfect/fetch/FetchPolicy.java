package io.planperfect.fetch;

import io.planperfect.config.EnvReader;
import java.time.Duration;
import java.util.Objects;

/**
 * The fetcher's limits: what is reachable beyond the public Internet ({@link AllowList}), the most
 * bytes a body may have once decoded, the time a whole request may take (every redirect hop
 * included), how many redirects are followed, and the user agent sent.
 */
public record FetchPolicy(AllowList allow, long maxBytes, Duration timeout, int maxRedirects, String userAgent) {
  public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  public static final int DEFAULT_MAX_REDIRECTS = 5;
  public static final String USER_AGENT = "PlanPerfectBot/0.1 (+https://github.com/planperfect/planperfect; page audit)";
  /** The token robots.txt groups are matched against. */
  public static final String ROBOTS_TOKEN = "PlanPerfectBot";

  public FetchPolicy {
    Objects.requireNonNull(allow, "allow");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(userAgent, "userAgent");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_FETCH_MAX_BYTES must be at least 1, got " + maxBytes);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_FETCH_TIMEOUT_SECONDS must be positive, got " + timeout);
    }
    if (maxRedirects < 0 || maxRedirects > DEFAULT_MAX_REDIRECTS) {
      throw new IllegalArgumentException("maxRedirects must be 0.." + DEFAULT_MAX_REDIRECTS + ", got " + maxRedirects);
    }
  }

  public static FetchPolicy defaults() {
    return new FetchPolicy(AllowList.NONE, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_MAX_REDIRECTS, USER_AGENT);
  }

  /**
   * From the environment: {@code PLANPERFECT_FETCH_ALLOW} (blocks and host names), {@code
   * PLANPERFECT_FETCH_MAX_BYTES}, {@code PLANPERFECT_FETCH_TIMEOUT_SECONDS}.
   */
  public static FetchPolicy from(EnvReader env) {
    AllowList allow;
    try {
      allow = AllowList.parse(env.optional("PLANPERFECT_FETCH_ALLOW").orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_FETCH_ALLOW: " + e.getMessage(), e);
    }
    long maxBytes = env.integer("PLANPERFECT_FETCH_MAX_BYTES", (int) DEFAULT_MAX_BYTES);
    Duration timeout = env.seconds("PLANPERFECT_FETCH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT.toSeconds());
    return new FetchPolicy(allow, maxBytes, timeout, DEFAULT_MAX_REDIRECTS, USER_AGENT);
  }

  public FetchPolicy withAllow(AllowList other) {
    return new FetchPolicy(other, maxBytes, timeout, maxRedirects, userAgent);
  }

  public FetchPolicy withMaxBytes(long bytes) {
    return new FetchPolicy(allow, bytes, timeout, maxRedirects, userAgent);
  }

  public FetchPolicy withTimeout(Duration other) {
    return new FetchPolicy(allow, maxBytes, other, maxRedirects, userAgent);
  }
}
