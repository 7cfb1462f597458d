package io.planperfect.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * A client's {@code Idempotency-Key} on an intake: whose it is ({@code scope}: the kind of API key that
 * sent it), the key itself, and a hash of the whole request, so that the same key sent with another
 * request is told apart from a retry.
 */
public record IdempotencyKey(String scope, String key, String requestHash) {
  /** How long a key answers for its first request; the cleanup job removes it after that. */
  public static final Duration RETENTION = Duration.ofHours(24);

  public IdempotencyKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestHash, "requestHash");
  }
}
