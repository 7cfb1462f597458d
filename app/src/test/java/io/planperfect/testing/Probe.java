package io.planperfect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Any request to a test server, answered without waiting for a stream's end: the status, the headers
 * and at most 64 KiB of the body (none of an event stream's). {@link #raw} writes bytes on a socket
 * for what a client library will not send (a lying Content-Length, a chunked body cut short).
 */
public final class Probe {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int MAX_BODY = 64 * 1024;

  public record Answer(int status, HttpHeaders headers, String body) {
    public boolean isJson() {
      return headers.firstValue("Content-Type").orElse("").startsWith("application/json");
    }

    public JsonNode json() {
      return Json.read(body);
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    @Override
    public String toString() {
      return status + " " + headers.firstValue("Content-Type").orElse("-") + " "
          + body.substring(0, Math.min(300, body.length()));
    }
  }

  private final int port;

  public Probe(int port) {
    this.port = port;
  }

  /**
   * The answer to one request. Sent a second time only when the connection ended before any byte of
   * an answer: the client's pool may reuse a connection that Jetty closed after refusing the previous
   * request, and the request then never reached the server.
   */
  public Answer send(String method, String path, Map<String, String> headers, byte[] body) {
    try {
      return sendOnce(method, path, headers, body);
    } catch (UncheckedIOException e) {
      if (String.valueOf(e.getCause().getMessage()).contains("received no bytes")) {
        return sendOnce(method, path, headers, body);
      }
      throw e;
    }
  }

  private Answer sendOnce(String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        String text = stream ? "" : new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        return new Answer(response.statusCode(), response.headers(), text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer send(String method, String path, Map<String, String> headers, String body) {
    return send(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes as written, then the output half-closed; the status line and headers read back (5 s at most). */
  public RawAnswer raw(byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      String text = new String(socket.getInputStream().readNBytes(MAX_BODY), StandardCharsets.ISO_8859_1);
      return RawAnswer.parse(text);
    } catch (java.net.SocketTimeoutException e) {
      return new RawAnswer(-1, Map.of(), "(no answer within 5 s)");
    } catch (IOException e) {
      return new RawAnswer(-2, Map.of(), "(connection ended: " + e.getMessage() + ")");
    }
  }

  /** A raw answer: status (-1 none in time, -2 connection reset), lower-cased headers, body. */
  public record RawAnswer(int status, Map<String, String> headers, String body) {
    static RawAnswer parse(String text) {
      if (!text.startsWith("HTTP/1.1 ")) {
        return new RawAnswer(0, Map.of(), text);
      }
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
      }
      return new RawAnswer(Integer.parseInt(lines[0].substring(9, 12)), headers, end < 0 ? "" : text.substring(end + 4));
    }

    public boolean isJson() {
      return headers.getOrDefault("content-type", "").startsWith("application/json");
    }
  }
}
