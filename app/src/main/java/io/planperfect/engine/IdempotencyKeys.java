package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of idempotency_keys (V050), run inside the intake's own transaction. {@link #claim} inserts
 * the key first: a concurrent request with the same key waits on the primary key until this
 * transaction ends, then finds the row and reads its answer; a transaction that rolls back leaves no
 * row, so the next request with the key runs afresh. A key older than {@link #RETENTION} is taken over.
 */
final class IdempotencyKeys {
  private static final Duration RETENTION = IdempotencyKey.RETENTION;

  // why DO UPDATE ... WHERE: an expired row not yet cleaned up is taken over in the same statement
  // (and locked, so two takers serialise); a live row is left alone and no row is returned.
  private static final String CLAIM = """
      insert into idempotency_keys (scope, idempotency_key, request_hash)
      values (:scope, :key, :hash)
      on conflict (scope, idempotency_key) do update
         set request_hash = excluded.request_hash, answer = null, created_at = now()
       where idempotency_keys.created_at < now() - make_interval(secs => :retention)
      returning 1""";

  private static final String EARLIER = """
      select request_hash, answer::text as answer from idempotency_keys
       where scope = :scope and idempotency_key = :key
         and created_at >= now() - make_interval(secs => :retention)""";

  private IdempotencyKeys() {}

  /**
   * Empty when this transaction now holds the key (go on and store, then {@link #answer}); otherwise
   * the answer stored for the key's first request. Throws {@link IdempotencyKeyReused} when that first
   * request was another one.
   */
  static Optional<JsonNode> claim(Handle h, IdempotencyKey key) {
    for (int round = 0; round < 3; round++) {
      boolean claimed = h.createQuery(CLAIM).bind("scope", key.scope()).bind("key", key.key())
          .bind("hash", key.requestHash()).bind("retention", RETENTION.toSeconds()).mapTo(Integer.class).findOne()
          .isPresent();
      if (claimed) {
        return Optional.empty();
      }
      Optional<Earlier> earlier = h.createQuery(EARLIER).bind("scope", key.scope()).bind("key", key.key())
          .bind("retention", RETENTION.toSeconds())
          .map((rs, ctx) -> new Earlier(rs.getString("request_hash"), rs.getString("answer"))).findOne();
      if (earlier.isPresent()) {
        if (!earlier.get().hash().equals(key.requestHash())) {
          throw new IdempotencyKeyReused(key);
        }
        return Optional.of(Json.read(earlier.get().answer()));
      }
      // why again: the row expired or was cleaned up between the two statements
    }
    throw new IllegalStateException("Idempotency-Key " + key.key() + " could be neither claimed nor read");
  }

  /** Stores the answer of the request that holds the key, in its transaction. */
  static void answer(Handle h, IdempotencyKey key, JsonNode answer) {
    h.createUpdate("update idempotency_keys set answer = cast(:answer as jsonb) where scope = :scope and idempotency_key = :key")
        .bind("answer", Json.write(answer)).bind("scope", key.scope()).bind("key", key.key()).execute();
  }

  private record Earlier(String hash, String answer) {}
}
