package io.planperfect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for tests against a real server on loopback. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public record Response(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      return Json.read(body);
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final String base;
  private final String key;

  public Http(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response post(String path, String body) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response post(String path, String body, String contentType) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A JSON POST with extra request headers (e.g. Idempotency-Key). */
  public Response post(String path, String body, java.util.Map<String, String> headers) {
    HttpRequest.Builder request = request(path).header("Content-Type", "application/json");
    headers.forEach(request::header);
    return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response patch(String path, String body) {
    return send(request(path).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String path, String body) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    return key == null ? builder : builder.header("Authorization", "Bearer " + key);
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
