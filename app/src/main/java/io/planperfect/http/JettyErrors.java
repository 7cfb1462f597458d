package io.planperfect.http;

import io.planperfect.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer of requests Jetty refuses before Javalin sees them (a NUL byte or an ambiguous path, a
 * malformed Content-Length, headers too large): the API's JSON error shape instead of Jetty's HTML
 * page, naming the status only (never Jetty's message, cause or stack).
 */
final class JettyErrors extends ErrorHandler {
  /** Every method gets the body (Jetty's default writes one for GET, POST and HEAD only). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status));
  }

  static byte[] body(int status) {
    String code = switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> status < 500 ? "invalid_request" : "internal_error";
    };
    String message = status < 500 ? "the request is malformed and was refused (HTTP " + status + ")"
        : "the request failed on the server";
    return Json.write(Json.object().put("error", code).put("message", message)).getBytes(StandardCharsets.UTF_8);
  }
}
