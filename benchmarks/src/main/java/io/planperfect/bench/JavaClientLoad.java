package io.planperfect.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator used when wrk is not installed: {@code connections} client threads in this
 * JVM, each with its own JDK HTTP/1.1 client (so one keep-alive connection each), posting an intake
 * in a closed loop for a fixed time; latencies of answered requests go to one HdrHistogram per
 * thread, merged at the end. The clients share the node's JVM and cores, so on a small machine
 * they bound the rate they measure ({@link WrkLoad} does not).
 */
final class JavaClientLoad implements IntakeLoad {
  private final URI uri;
  private final String key;

  JavaClientLoad(int port, String key) {
    this.uri = URI.create("http://127.0.0.1:" + port + ROUTE);
    this.key = key;
  }

  @Override
  public String describe() {
    return "the JDK's HttpClient, one per connection, in the node's JVM (wrk not found)";
  }

  @Override
  public Run run(int connections, Duration length) {
    long deadline = System.nanoTime() + length.toNanos();
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicInteger sequence = new AtomicInteger();
    List<LatencyRecorder> recorders = new ArrayList<>();
    List<Thread> clients = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      LatencyRecorder recorder = new LatencyRecorder();
      recorders.add(recorder);
      Thread client = new Thread(() -> loop(deadline, recorder, accepted, failed, sequence), "intake-client-" + c);
      clients.add(client);
      client.start();
    }
    for (Thread client : clients) {
      join(client);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    LatencyRecorder all = new LatencyRecorder();
    recorders.forEach(all::add);
    return new Run(connections, seconds, accepted.get(), failed.get(), all.percentileMillis(50), all.percentileMillis(99),
        all.maxMillis());
  }

  private void loop(long deadline, LatencyRecorder recorder, AtomicLong accepted, AtomicLong failed, AtomicInteger sequence) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    while (System.nanoTime() < deadline) {
      HttpRequest request = HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(IntakeLoad.body(sequence.incrementAndGet())))
          .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        recorder.record(System.nanoTime() - sent);
        (response.statusCode() == 201 ? accepted : failed).incrementAndGet();
      } catch (IOException e) {
        failed.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the clients ran", e);
    }
  }
}
