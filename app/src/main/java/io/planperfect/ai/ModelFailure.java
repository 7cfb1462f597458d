package io.planperfect.ai;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that did not answer, with what the caller should do about it: {@link Kind#RATE_LIMITED}
 * (429) and {@link Kind#UNAVAILABLE} (5xx, connection refused) pass, so wait ({@link #retryAfter} is the
 * provider's {@code Retry-After} when it sent one); {@link Kind#TIMEOUT} may pass on a new attempt;
 * {@link Kind#REJECTED} (400, 401, 403, 404) will not. The message never contains an API key.
 */
public final class ModelFailure extends RuntimeException {
  public enum Kind { RATE_LIMITED, UNAVAILABLE, TIMEOUT, REJECTED }

  private final Kind kind;
  private final int status;
  private final Duration retryAfter;

  public ModelFailure(Kind kind, int status, Duration retryAfter, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was none (timeout, connection refused). */
  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether waiting and asking again may succeed. */
  public boolean passes() {
    return kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE;
  }

  /** The name stored in the usage ledger's outcome column. */
  public String outcome() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
