package io.planperfect.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our HTTP port for LangChain4j: a streamed answer reaches the listener event by event, a refused one as its error. */
class ProviderHttpClientTest {
  private HttpServer server;
  private final ProviderHttpClient client = new ProviderHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/stream", exchange -> {
      byte[] body = "data: {\"part\":1}\n\ndata: {\"part\":2}\n\n".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/busy", exchange -> {
      byte[] body = "{\"error\":\"slow down\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Retry-After", "7");
      exchange.sendResponseHeaders(429, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpRequest post(String path) {
    return HttpRequest.builder().method(HttpMethod.POST).url("http://127.0.0.1:" + server.getAddress().getPort() + path)
        .body("{}").build();
  }

  @Test
  void a_streamed_answer_reaches_the_listener_event_by_event_between_open_and_close() {
    Recorder recorder = new Recorder();
    client.execute(post("/stream"), new DefaultServerSentEventParser(), recorder);

    assertThat(recorder.calls).containsExactly("open 200", "event {\"part\":1}", "event {\"part\":2}", "close");
  }

  @Test
  void a_refused_streamed_answer_is_the_listeners_error_with_the_providers_retry_after() {
    Recorder recorder = new Recorder();
    client.execute(post("/busy"), new DefaultServerSentEventParser(), recorder);

    assertThat(recorder.calls).containsExactly("error");
    assertThat(recorder.error).isInstanceOf(ProviderHttpError.class);
    assertThat(((ProviderHttpError) recorder.error).retryAfter()).contains(Duration.ofSeconds(7));
  }

  private static final class Recorder implements ServerSentEventListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Throwable error;

    @Override
    public void onOpen(SuccessfulHttpResponse response) {
      calls.add("open " + response.statusCode());
    }

    @Override
    public void onEvent(ServerSentEvent event) {
      calls.add("event " + event.data());
    }

    @Override
    public void onError(Throwable throwable) {
      error = throwable;
      calls.add("error");
    }

    @Override
    public void onClose() {
      calls.add("close");
    }
  }
}
