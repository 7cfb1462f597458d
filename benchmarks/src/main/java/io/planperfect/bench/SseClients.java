package io.planperfect.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Server-Sent Events clients on one {@link HttpClient} (its selector thread and a small
 * executor: the clients cost no thread each either). Each client reads its stream line by line and,
 * for every {@code completed} event, records the time from that stage's commit ({@link CommitClock})
 * to the event's arrival. Parsing is kept to a substring search so 500 clients do not starve the node.
 */
final class SseClients implements AutoCloseable {
  private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "bench-sse-client");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).connectTimeout(Duration.ofSeconds(10)).build();
  private final CommitClock clock;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicInteger ended = new AtomicInteger();
  private final AtomicLong unmatched = new AtomicLong();

  SseClients(CommitClock clock) {
    this.clock = clock;
  }

  /** Opens {@code count} streams on {@code uri} with the bearer key; returns once every response started. */
  void open(URI uri, String key, int count) {
    List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Client client = new Client();
      clients.add(client);
      HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
          .header("Accept", "text/event-stream").GET().build();
      responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(client))
          .whenComplete((r, e) -> ended.incrementAndGet()));
    }
    for (Client client : clients) {
      client.started.join();
    }
  }

  /** Clients whose stream ended (the server drops a client that reads too slowly). */
  int ended() {
    return ended.get();
  }

  long unmatched() {
    return unmatched.get();
  }

  long received() {
    return clients.stream().mapToLong(c -> c.completions).sum();
  }

  /** Every client's latencies, merged. */
  LatencyRecorder latencies() {
    LatencyRecorder all = new LatencyRecorder();
    for (Client client : clients) {
      synchronized (client) {
        all.add(client.latencies);
      }
    }
    return all;
  }

  @Override
  public void close() {
    clients.forEach(Client::cancel);
    executor.shutdownNow();
  }

  /** One stream: the lines of an event until the blank line that ends it. */
  private final class Client implements Flow.Subscriber<String> {
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private volatile Flow.Subscription subscription;
    private boolean completedEvent;
    private String data;
    private long completions;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
      started.complete(null);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (completedEvent && data != null) {
          record(data, System.nanoTime());
        }
        completedEvent = false;
        data = null;
      } else if (line.startsWith("event:")) {
        completedEvent = line.equals("event: completed") || line.equals("event:completed");
      } else if (line.startsWith("data:") && completedEvent) {
        data = line;
      }
    }

    private void record(String data, long arrived) {
      String jobId = field(data, "job_id");
      String stage = field(data, "stage");
      Long committed = jobId == null || stage == null ? null : clock.committedAt(jobId, stage);
      if (committed == null) {
        unmatched.incrementAndGet();
        return;
      }
      synchronized (this) {
        latencies.record(arrived - committed);
        completions++;
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      started.complete(null);
    }

    @Override
    public void onError(Throwable throwable) {
      started.complete(null);
    }

    @Override
    public void onComplete() {
      started.complete(null);
    }
  }

  /** The string value of {@code "name":"..."} in a flat JSON line, without parsing the rest. */
  private static String field(String json, String name) {
    String marker = "\"" + name + "\":\"";
    int start = json.indexOf(marker);
    if (start < 0) {
      return null;
    }
    start += marker.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }
}
