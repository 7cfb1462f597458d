package io.planperfect.engine;

/** The same Idempotency-Key came back with a different request: refused, nothing stored. */
public final class IdempotencyKeyReused extends RuntimeException {
  public IdempotencyKeyReused(IdempotencyKey key) {
    super("Idempotency-Key '" + key.key() + "' was already used with a different request; "
        + "send a new key for a new request");
  }
}
