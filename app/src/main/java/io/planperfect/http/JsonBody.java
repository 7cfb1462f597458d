package io.planperfect.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.planperfect.json.Json;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body as JSON: at most {@link #MAX_BYTES}, within the mapper's parsing limits. */
final class JsonBody {
  static final int MAX_BYTES = 64 * 1024;

  private JsonBody() {}

  static JsonNode read(Context ctx) {
    return read(ctx, MAX_BYTES);
  }

  /** A JSON body of at most {@code maxBytes} (a batch's limit is larger than a job's). */
  static JsonNode read(Context ctx, int maxBytes) {
    requireJsonType(ctx);
    return parse(readBounded(ctx, maxBytes));
  }

  /** The bytes of a body declared as JSON (or undeclared), at most {@link #MAX_BYTES}: for a caller that hashes them too. */
  static byte[] jsonBytes(Context ctx) {
    return jsonBytes(ctx, MAX_BYTES);
  }

  /** As above, at most {@code maxBytes}. */
  static byte[] jsonBytes(Context ctx, int maxBytes) {
    requireJsonType(ctx);
    return readBounded(ctx, maxBytes);
  }

  /** A body already read ({@link #readBounded}) as JSON, within the mapper's parsing limits. */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiError.invalid("body", "the request body is empty; send a JSON object");
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw ApiError.invalid("body", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.invalid("body", "the request body could not be read");
    }
  }

  /**
   * A body declared as something else than JSON (a form, plain text) is refused with 415 before it is
   * read; a body without Content-Type is read as JSON, as clients of the seed send it.
   */
  private static void requireJsonType(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null) {
      return;
    }
    String mediaType = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      throw new ApiError(415, "unsupported_media_type", "the request body must be JSON (Content-Type: application/json)",
          "Content-Type");
    }
  }

  /** An object body, or an empty object when the request has no body at all. */
  static JsonNode readOptionalObject(Context ctx) {
    if (ctx.contentLength() == 0) {
      return Json.object();
    }
    JsonNode body = read(ctx);
    BodyFields.requireObject(body);
    return body;
  }

  /** The raw body, refused with 413 beyond {@code maxBytes} (read no further than one byte past it). */
  static byte[] readBounded(Context ctx, int maxBytes) {
    if (ctx.contentLength() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw tooLarge(maxBytes);
      }
      return body;
    } catch (IOException e) {
      throw ApiError.invalid("body", "the request body could not be read");
    }
  }

  private static ApiError tooLarge(int maxBytes) {
    return new ApiError(413, "payload_too_large", "the request body exceeds " + maxBytes + " bytes", "body");
  }
}
