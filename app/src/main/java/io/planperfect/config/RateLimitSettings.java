package io.planperfect.config;

/**
 * Request rate limits per API key, in requests per second for the whole cluster (0 = no limit):
 * {@code PLANPERFECT_RATE_LIMIT_ANON} for the anon key (and the dashboard sessions it opened),
 * {@code PLANPERFECT_RATE_LIMIT_SERVICE} for the service key. Each node enforces its share: the
 * rate divided by the nodes serving HTTP that are live ({@code io.planperfect.http.RateLimiter}).
 */
public record RateLimitSettings(int anonPerSecond, int servicePerSecond) {
  /** Far above what one node serves today, so only a flood meets it; operators set their own. */
  public static final int DEFAULT_ANON_PER_SECOND = 10_000;
  /** The service key is the operator's own: unlimited unless set. */
  public static final int DEFAULT_SERVICE_PER_SECOND = 0;
  public static final RateLimitSettings OFF = new RateLimitSettings(0, 0);

  public RateLimitSettings {
    if (anonPerSecond < 0 || servicePerSecond < 0) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_RATE_LIMIT_ANON and "
          + "PLANPERFECT_RATE_LIMIT_SERVICE must be 0 (off) or a positive number of requests per second");
    }
  }

  public static RateLimitSettings from(EnvReader env) {
    return new RateLimitSettings(env.integer("PLANPERFECT_RATE_LIMIT_ANON", DEFAULT_ANON_PER_SECOND),
        env.integer("PLANPERFECT_RATE_LIMIT_SERVICE", DEFAULT_SERVICE_PER_SECOND));
  }
}
