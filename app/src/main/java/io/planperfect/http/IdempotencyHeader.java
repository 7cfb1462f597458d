package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.engine.IdempotencyKey;
import io.planperfect.engine.IdempotencyKeyReused;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header of the intake routes: up to 255 visible ASCII characters, scoped to
 * the kind of API key that sent it, with a SHA-256 of the request (method, path, query, body) so that a
 * retry is told from a new request. Without the header nothing of this runs. A replayed answer is the
 * first one's body with status 200 and {@code Idempotency-Replayed: true}; a key reused with another
 * request is a 422 naming the header.
 */
final class IdempotencyHeader {
  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotency-Replayed";
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private IdempotencyHeader() {}

  /** The request's key, or null when it sends none. */
  static IdempotencyKey of(Context ctx, byte[] body) {
    String key = ctx.header(HEADER);
    if (key == null) {
      return null;
    }
    if (!VALID.matcher(key).matches()) {
      throw new ApiError(400, "invalid_request", HEADER + " must be 1 to 255 visible ASCII characters", HEADER);
    }
    Access access = ctx.attribute(ApiServer.ACCESS);
    String scope = access == null ? "none" : access.name().toLowerCase(Locale.ROOT);
    return new IdempotencyKey(scope, key, hash(ctx, body));
  }

  /** Runs the intake, turning a reused key into a 422 naming the header. */
  static <T> T refusingReuse(Supplier<T> intake) {
    try {
      return intake.get();
    } catch (IdempotencyKeyReused e) {
      throw new ApiError(422, "idempotency_key_reused", e.getMessage(), HEADER);
    }
  }

  /** Sets the answer's status: {@code created} for a first answer, 200 with the replay header for a replay. */
  static Context answer(Context ctx, boolean replayed, int created) {
    if (replayed) {
      ctx.header(REPLAYED, "true");
      return ctx.status(200);
    }
    return ctx.status(created);
  }

  private static String hash(Context ctx, byte[] body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      String query = ctx.queryString();
      digest.update((ctx.method().name() + " " + ctx.path() + "?" + (query == null ? "" : query) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
