package io.planperfect.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A plain HTTP client that keeps the dashboard's session cookie as a browser would (no redirects followed). */
final class Browser {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

  record Page(int status, String body, java.net.http.HttpHeaders headers) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String csrf() {
      Matcher m = CSRF.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no csrf token on the page: " + body);
      }
      return m.group(1);
    }
  }

  private final String base;
  private String cookie;

  Browser(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  String cookie() {
    return cookie;
  }

  void cookie(String value) {
    this.cookie = value;
  }

  Page login(String key) {
    Page page = post("/login", Map.of("api_key", key));
    page.header("Set-Cookie").ifPresent(set -> cookie = set.substring(set.indexOf('=') + 1, set.indexOf(';')));
    return page;
  }

  Page get(String path) {
    return send(request(path).GET());
  }

  Page post(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A form body as it is given (for repeated fields such as {@code ids=a&ids=b}). */
  Page postRaw(String path, String body) {
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    return cookie == null ? builder : builder.header("Cookie", "pp_session=" + cookie);
  }

  private static Page send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Page(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
