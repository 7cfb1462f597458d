package io.planperfect.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The knobs of completion callbacks (a batch's {@code callback_url}): the signing secret
 * ({@code PLANPERFECT_WEBHOOK_SECRET}; when unset, derived from the service key), how many attempts
 * before a delivery is failed, the backoff between attempts, how often a node looks for due deliveries,
 * how long a claimed delivery stays its node's before another may take it, the time cap of one POST,
 * the addresses callbacks may reach beyond the public Internet ({@code PLANPERFECT_FETCH_ALLOW},
 * the fetcher's own list), and the SMTP server of completion e-mail with its sender
 * ({@code PLANPERFECT_SMTP_URL}, {@code PLANPERFECT_MAIL_FROM}; no e-mail without the URL).
 * {@code toString} masks the secret and the SMTP password.
 */
public record CallbackSettings(
    Optional<String> secret,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration pollInterval,
    Duration timeout,
    Optional<String> fetchAllow,
    Optional<SmtpAddress> smtp,
    String mailFrom) {

  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final double DEFAULT_BACKOFF_SECONDS = 10;
  public static final double DEFAULT_BACKOFF_MAX_SECONDS = 3600;
  public static final int DEFAULT_POLL_MILLIS = 1000;
  public static final double DEFAULT_TIMEOUT_SECONDS = 10;
  public static final String DEFAULT_MAIL_FROM = "planperfect@localhost";

  public CallbackSettings {
    require(secret.map(s -> s.length() >= 16).orElse(true), "PLANPERFECT_WEBHOOK_SECRET must be at least 16 characters");
    require(maxAttempts >= 1 && maxAttempts <= 100, "PLANPERFECT_CALLBACK_MAX_ATTEMPTS must be 1..100, got " + maxAttempts);
    require(!backoffBase.isNegative() && !backoffMax.isNegative(), "PLANPERFECT_CALLBACK_BACKOFF_* must not be negative");
    require(pollInterval.toMillis() >= 10, "PLANPERFECT_CALLBACK_POLL_MILLIS must be at least 10");
    require(timeout.toMillis() >= 100, "PLANPERFECT_CALLBACK_TIMEOUT_SECONDS must be at least 0.1");
    require(mailFrom.matches("[^@\\s]+@[^@\\s]+"), "PLANPERFECT_MAIL_FROM must be an e-mail address");
  }

  /** How long a claimed delivery stays its node's: then another node may post it again (the node died). */
  public Duration claimTimeout() {
    // why: a claim must outlive the POST it covers, or a second node could post while the first still waits
    return timeout.multipliedBy(3).plusSeconds(5);
  }

  public static CallbackSettings from(EnvReader env) {
    return new CallbackSettings(
        env.optional("PLANPERFECT_WEBHOOK_SECRET"),
        env.integer("PLANPERFECT_CALLBACK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
        env.seconds("PLANPERFECT_CALLBACK_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS),
        env.seconds("PLANPERFECT_CALLBACK_BACKOFF_MAX_SECONDS", DEFAULT_BACKOFF_MAX_SECONDS),
        Duration.ofMillis(env.integer("PLANPERFECT_CALLBACK_POLL_MILLIS", DEFAULT_POLL_MILLIS)),
        env.seconds("PLANPERFECT_CALLBACK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
        env.optional("PLANPERFECT_FETCH_ALLOW"),
        env.optional(SmtpAddress.VARIABLE).filter(v -> !v.isBlank()).map(SmtpAddress::parse),
        env.text("PLANPERFECT_MAIL_FROM", DEFAULT_MAIL_FROM));
  }

  @Override
  public String toString() {
    return "CallbackSettings[secret=" + secret.map(s -> "***").orElse("(derived from the service key)") + ", maxAttempts="
        + maxAttempts + ", backoff=" + backoffBase.toMillis() + "ms..." + backoffMax.toMillis() + "ms, poll="
        + pollInterval.toMillis() + "ms, timeout=" + timeout.toMillis() + "ms, smtp="
        + smtp.map(SmtpAddress::toString).orElse("(none)") + "]";
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
