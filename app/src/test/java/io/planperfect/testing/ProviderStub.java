package io.planperfect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local HTTP server speaking a model provider's wire protocol: OpenAI's {@code POST /v1/chat/completions},
 * Anthropic's {@code POST /v1/messages} and Ollama's {@code POST /api/chat}. Each request is recorded (path, headers, body); the answer
 * comes from a {@link Responder} given the request, and carries usage the stub counts, so tests can
 * compare the usage ledger with what the "provider" reported.
 */
public final class ProviderStub implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the stub answers: a text with usage, or an HTTP error with its body and headers. */
  public sealed interface Answer {}

  public record Text(String text, int inputTokens, int outputTokens) implements Answer {}

  public record Error(int status, String body, Map<String, String> headers) implements Answer {}

  public record Request(String path, Map<String, List<String>> headers, JsonNode body, java.time.Instant at) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    /** The system instructions, whichever protocol carried them. */
    public String system() {
      if (body.has("system")) {
        JsonNode system = body.get("system");
        if (system.isTextual()) {
          return system.asText();
        }
        StringBuilder text = new StringBuilder();
        system.forEach(block -> text.append(block.path("text").asText()));
        return text.toString();
      }
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText().equals("system")) {
          return content(message);
        }
      }
      return "";
    }

    /** The last user message's text. */
    public String user() {
      String user = "";
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText().equals("user")) {
          user = content(message);
        }
      }
      return user;
    }

    private static String content(JsonNode message) {
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder text = new StringBuilder();
      content.forEach(block -> text.append(block.path("text").asText()));
      return text.toString();
    }
  }

  @FunctionalInterface
  public interface Responder extends Function<Request, Answer> {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong inputTokens = new AtomicLong();
  private final AtomicLong outputTokens = new AtomicLong();
  private volatile Responder responder;

  public ProviderStub(Responder responder) {
    this.responder = responder;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/v1}, what OPENAI_BASE_URL and ANTHROPIC_BASE_URL take. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public void respondWith(Responder next) {
    responder = next;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Input tokens reported in answered calls (errors report none). */
  public long inputTokens() {
    return inputTokens.get();
  }

  public long outputTokens() {
    return outputTokens.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
      Request request = new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, java.time.Instant.now());
      requests.add(request);
      Answer answer = responder.apply(request);
      if (answer instanceof Error error) {
        error.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        send(exchange, error.status(), error.body());
        return;
      }
      Text text = (Text) answer;
      inputTokens.addAndGet(text.inputTokens());
      outputTokens.addAndGet(text.outputTokens());
      send(exchange, 200, path.endsWith("/messages") ? anthropic(body, text)
          : path.endsWith("/api/chat") ? ollama(body, text) : openAi(body, text));
    }
  }

  private static String openAi(JsonNode request, Text text) {
    ObjectNode answer = MAPPER.createObjectNode().put("id", "chatcmpl-stub").put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", request.path("model").asText());
    ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", text.text());
    answer.putObject("usage").put("prompt_tokens", text.inputTokens()).put("completion_tokens", text.outputTokens())
        .put("total_tokens", text.inputTokens() + text.outputTokens());
    return answer.toString();
  }

  private static String anthropic(JsonNode request, Text text) {
    ObjectNode answer = MAPPER.createObjectNode().put("id", "msg_stub").put("type", "message").put("role", "assistant")
        .put("model", request.path("model").asText()).put("stop_reason", "end_turn");
    answer.putArray("content").addObject().put("type", "text").put("text", text.text());
    answer.putObject("usage").put("input_tokens", text.inputTokens()).put("output_tokens", text.outputTokens());
    return answer.toString();
  }

  private static String ollama(JsonNode request, Text text) {
    ObjectNode answer = MAPPER.createObjectNode().put("model", request.path("model").asText())
        .put("created_at", "2026-01-01T00:00:00Z").put("done", true).put("done_reason", "stop")
        .put("prompt_eval_count", text.inputTokens()).put("eval_count", text.outputTokens());
    answer.putObject("message").put("role", "assistant").put("content", text.text());
    return answer.toString();
  }

  /** The server root, what OLLAMA_BASE_URL takes. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
