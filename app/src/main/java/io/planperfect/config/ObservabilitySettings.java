package io.planperfect.config;

import java.util.Optional;
import java.util.Set;

/**
 * What a node tells about itself: the token that may read {@code /metrics} besides the service key
 * ({@code PLANPERFECT_METRICS_TOKEN}), and the log format ({@code PLANPERFECT_LOG_FORMAT}: {@code text}
 * or {@code json}; logback.xml reads the same variable, this only rejects a misspelt one at start).
 * {@code toString} masks the token.
 */
public record ObservabilitySettings(Optional<String> metricsToken, String logFormat) {
  public static final String DEFAULT_LOG_FORMAT = "text";
  private static final Set<String> LOG_FORMATS = Set.of("text", "json");

  public ObservabilitySettings {
    if (metricsToken.map(t -> t.length() < 16).orElse(false)) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_METRICS_TOKEN must be at least 16 characters");
    }
    if (!LOG_FORMATS.contains(logFormat)) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_LOG_FORMAT must be text or json, got '"
          + logFormat + "'");
    }
  }

  static ObservabilitySettings from(EnvReader env) {
    return new ObservabilitySettings(env.optional("PLANPERFECT_METRICS_TOKEN"),
        env.text("PLANPERFECT_LOG_FORMAT", DEFAULT_LOG_FORMAT));
  }

  @Override
  public String toString() {
    return "metricsToken=" + (metricsToken.isPresent() ? "***" : "none") + " logFormat=" + logFormat;
  }
}
