package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Every {@code periodMillis}: the node JVM's RSS, the messages queued on the benchmark queue and
 * what the harness is doing (its phase), until closed. The samples make the RSS table.
 */
final class RssSampler implements AutoCloseable {
  record Sample(double seconds, String phase, long queued, long rssKib) {}

  private final ChildNode node;
  private final Jdbi jdbi;
  private final long periodMillis;
  private final long started = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile String phase = "start";
  private volatile boolean running = true;

  RssSampler(ChildNode node, Jdbi jdbi, long periodMillis) {
    this.node = node;
    this.jdbi = jdbi;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::loop, "rss-sampler");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void phase(String name) {
    phase = name;
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  private void loop() {
    while (running) {
      try {
        long queued = jdbi.withHandle(h -> h.createQuery("select count(*) from queue_messages where queue_name = :q")
            .bind("q", BenchPipeline.QUEUE).mapTo(Long.class).one());
        Sample sample = new Sample((System.nanoTime() - started) / 1e9, phase, queued, node.rssKib());
        synchronized (this) {
          samples.add(sample);
        }
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("rss sampler: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
