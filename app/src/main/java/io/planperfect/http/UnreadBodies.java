package io.planperfect.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * After a route that did not read the request's body (it takes none, or refused the request first),
 * reads and drops up to {@link #MAX_DRAIN} bytes of it. Otherwise Jetty closes the connection with
 * the body unread and the client's TCP stack may drop the answer with the reset: the client would
 * see no answer at all instead of its 4xx. A larger body still ends the connection.
 */
final class UnreadBodies {
  static final long MAX_DRAIN = 2L * 1024 * 1024;

  private UnreadBodies() {}

  static void drain(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared == 0 || declared > MAX_DRAIN || ctx.res().getContentType() != null
        && ctx.res().getContentType().startsWith("text/event-stream")) {
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      long left = MAX_DRAIN;
      byte[] buffer = new byte[8192];
      for (int read; left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
        left -= read;
      }
    } catch (IOException | IllegalStateException e) {
      // why: the body was already taken another way (a multipart form) or the client is gone; nothing to drain
    }
  }
}
