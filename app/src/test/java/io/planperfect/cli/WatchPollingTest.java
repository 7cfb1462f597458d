package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} against a server without job streams (an older node, a proxy that drops them): it polls
 * {@code GET /api/v1/jobs/{id}} until the job ends. The server here is a stub that answers the stream as
 * the API answers a route it does not have, and the job's reads as a job that completes on the third.
 */
class WatchPollingTest {
  private static final String ID = "6f1c2f7e-3a41-4d39-9a51-1f0b7c2d9e10";

  @TempDir Path workDir;

  private HttpServer server;
  private final AtomicInteger reads = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void without_a_stream_watch_polls_the_job_until_it_ends_and_exits_as_it_ended() throws Exception {
    CliProcess cli = new CliProcess(server.getAddress().getPort(), "any-key", workDir);

    CliProcess.Finished watch = cli.run("watch", ID, "--interval", "50");

    assertThat(watch.exit()).as(watch.toString()).isZero();
    assertThat(watch.out().strip()).isEqualTo("job " + ID + " completed: 2/2 stages");
    assertThat(requests).first().isEqualTo("GET /api/v1/jobs/" + ID + "/stream");
    assertThat(requests).filteredOn(r -> r.equals("GET /api/v1/jobs/" + ID)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(watch.err()).contains("research").contains("generate");
  }

  private void answer(HttpExchange exchange) throws IOException {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    requests.add(request);
    if (request.endsWith("/stream")) {
      send(exchange, 404, "{\"error\": \"not_found\", \"message\": \"no route " + request + "\"}");
    } else {
      int read = reads.incrementAndGet();
      String research = read == 1 ? "processing" : "completed";
      String generate = read < 3 ? "pending" : "completed";
      send(exchange, 200, """
          {"id": "%s", "status": "%s", "stage": "generate",
           "stages": [{"stage": "research", "status": "%s", "attempt_count": 1},
                      {"stage": "generate", "status": "%s", "attempt_count": %d}],
           "progress": {"stages_total": 2, "stages_completed": %d, "stages_skipped": 0, "percent": 0}}"""
          .formatted(ID, read < 3 ? "processing" : "completed", research, generate, read < 3 ? 0 : 1, read < 3 ? 1 : 2));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
