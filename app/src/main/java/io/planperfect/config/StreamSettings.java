package io.planperfect.config;

import java.time.Duration;

/**
 * The knobs of live progress streams: how long a stream may go without sending anything before it
 * gets a heartbeat comment ({@code PLANPERFECT_SSE_HEARTBEAT_SECONDS}, default 15: below the idle
 * timeouts of common proxies, which are 30 to 60 seconds).
 */
public record StreamSettings(Duration heartbeat) {
  public static final double DEFAULT_HEARTBEAT_SECONDS = 15;

  public StreamSettings {
    if (heartbeat.toMillis() < 50) {
      throw new IllegalArgumentException("PLANPERFECT_SSE_HEARTBEAT_SECONDS must be at least 0.05, got " + heartbeat);
    }
  }

  static StreamSettings from(EnvReader env) {
    return new StreamSettings(env.seconds("PLANPERFECT_SSE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS));
  }
}
