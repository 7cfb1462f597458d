package io.planperfect.config;

import java.time.Duration;

/**
 * The knobs of live progress streams: how long a stream may go without sending anything before it
 * gets a heartbeat comment ({@code PLANPERFECT_SSE_HEARTBEAT_SECONDS}, default 15: below the idle
 * timeouts of common proxies, which are 30 to 60 seconds), and how long a stream's own read (a finished
 * job's result, a batch's counts) may take before it is given up and the stream ends without it
 * ({@code PLANPERFECT_SSE_READ_TIMEOUT_SECONDS}, default 30).
 */
public record StreamSettings(Duration heartbeat, Duration readTimeout) {
  public static final double DEFAULT_HEARTBEAT_SECONDS = 15;
  public static final double DEFAULT_READ_TIMEOUT_SECONDS = 30;

  public StreamSettings {
    if (heartbeat.toMillis() < 50) {
      throw new IllegalArgumentException("PLANPERFECT_SSE_HEARTBEAT_SECONDS must be at least 0.05, got " + heartbeat);
    }
    if (readTimeout.toMillis() < 50) {
      throw new IllegalArgumentException("PLANPERFECT_SSE_READ_TIMEOUT_SECONDS must be at least 0.05, got " + readTimeout);
    }
  }

  static StreamSettings from(EnvReader env) {
    return new StreamSettings(env.seconds("PLANPERFECT_SSE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS),
        env.seconds("PLANPERFECT_SSE_READ_TIMEOUT_SECONDS", DEFAULT_READ_TIMEOUT_SECONDS));
  }
}
