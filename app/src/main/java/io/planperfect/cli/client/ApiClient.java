package io.planperfect.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PlanPerfect HTTP API as the CLI calls it: one base URL, one key sent as
 * {@code Authorization: Bearer}, JSON in and out. An answer other than 2xx becomes an
 * {@link ApiFailure} carrying the server's {@code {error, message, field}}.
 */
public final class ApiClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String baseUrl;
  private final String key;
  private final HttpClient http;

  public ApiClient(String baseUrl, String key) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  public JsonNode get(String path) {
    return send(request(path).GET());
  }

  public JsonNode post(String path, JsonNode body) {
    return post(path, "application/json", Json.write(body));
  }

  public JsonNode post(String path, String contentType, String body) {
    return send(request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  public JsonNode put(String path, JsonNode body) {
    return send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
  }

  /**
   * An event stream, or empty when this server has no such stream (a 404 for the route itself):
   * the caller then polls. Any other refusal (no such job, a bad key) is an {@link ApiFailure}.
   */
  public Optional<EventStream> stream(String path, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
        .header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response = exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 == 2) {
      return Optional.of(new EventStream(response.body()));
    }
    ApiFailure failure = failure(response.statusCode(), readAll(response.body()));
    if (failure.status() == 404 && String.valueOf(failure.getMessage()).startsWith("no route")) {
      return Optional.empty();
    }
    throw failure;
  }

  /** {@code ?name=value&...} of the parameters that are set, URL-encoded; "" when none is. */
  public static String query(Map<String, ?> parameters) {
    String query = parameters.entrySet().stream()
        .filter(e -> e.getValue() != null && !String.valueOf(e.getValue()).isEmpty())
        .map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
        .collect(Collectors.joining("&"));
    return query.isEmpty() ? "" : "?" + query;
  }

  /** A path segment, URL-encoded. */
  public static String segment(String value) {
    return encode(value).replace("+", "%20");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + key).header("Accept", "application/json");
  }

  private URI uri(String path) {
    try {
      return URI.create(baseUrl + path);
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(0, "bad_url", "not a URL: " + baseUrl + path + " (--url or PLANPERFECT_URL)", null);
    }
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw failure(response.statusCode(), response.body());
    }
    String body = response.body();
    return body == null || body.isBlank() ? Json.object() : Json.read(body);
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw ApiFailure.unreachable(baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiFailure(0, "interrupted", "interrupted while calling " + request.uri(), null);
    }
  }

  /** The server's error body as a failure; a body that is not the API's JSON is quoted briefly. */
  private static ApiFailure failure(int status, String body) {
    try {
      JsonNode error = Json.read(body);
      if (error.hasNonNull("message")) {
        return new ApiFailure(status, error.path("error").asText("error"), error.path("message").asText(),
            error.hasNonNull("field") ? error.path("field").asText() : null);
      }
    } catch (RuntimeException notJson) {
      // answered below with the raw text
    }
    String text = body == null ? "" : body.strip();
    return new ApiFailure(status, "http_" + status, text.isEmpty() ? "the server answered HTTP " + status
        : text.substring(0, Math.min(200, text.length())), null);
  }

  private static String readAll(InputStream body) {
    try (body) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
