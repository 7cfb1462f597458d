package io.planperfect.ai;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * LangChain4j's HTTP port over the JDK client, kept ours for two things the stock one drops: a
 * failed answer's {@code Retry-After} header ({@link ProviderHttpError}), and an interruptible wait
 * (a cancelled stage's thread stops waiting for the provider). The stages ask for whole answers; a
 * streamed one is passed to LangChain4j's event parser as it arrives.
 */
final class ProviderHttpClient implements HttpClient {
  // why: the JDK client sets these itself and refuses them from a caller
  private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.readTimeout = readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      throw new ProviderHttpError(response.statusCode(), response.body(),
          retryAfter(response.headers().firstValue("retry-after").orElse(null)));
    }
    return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(response.headers().map())
        .body(response.body()).build();
  }

  /** A streamed answer: the events to the listener as they arrive; a failed answer is its onError, as one call's. */
  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    try {
      HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() < 200 || response.statusCode() > 299) {
          listener.onError(new ProviderHttpError(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8),
              retryAfter(response.headers().firstValue("retry-after").orElse(null))));
          return;
        }
        listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
            .headers(response.headers().map()).build());
        parser.parse(body, listener);
      }
      listener.onClose();
    } catch (IOException e) {
      listener.onError(new UncheckedIOException(e));
    } catch (RuntimeException e) {
      listener.onError(e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
        .timeout(readTimeout)
        .method(request.method().name(), request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(value -> builder.header(name, value));
      }
    });
    try {
      return client.send(builder.build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the provider", e);
    }
  }

  /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }

  /** What LangChain4j's model builders take. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(120);

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      if (timeout != null) {
        connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      if (timeout != null) {
        readTimeout = timeout;
      }
      return this;
    }

    @Override
    public HttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
