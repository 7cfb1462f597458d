package io.planperfect.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a scenario with N client threads: an unrecorded warm-up, then a timed window in which
 * every operation's latency is recorded. Claims are topped up by a {@link DepthKeeper}.
 */
final class ScenarioRunner {
  private final QueueOperations operations;
  private final QueueFixture fixture;
  private final int clients;
  private final Duration warmup;
  private final Duration window;

  ScenarioRunner(QueueOperations operations, QueueFixture fixture, int clients, Duration warmup, Duration window) {
    this.operations = operations;
    this.fixture = fixture;
    this.clients = clients;
    this.warmup = warmup;
    this.window = window;
  }

  ScenarioResult run(Scenario scenario, long depth) {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureUntil = measureFrom + window.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (DepthKeeper keeper = DepthKeeper.start(fixture)) {
      List<Future<ClientTally>> tallies = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        tallies.add(pool.submit(() -> client(scenario, keeper, measureFrom, measureUntil)));
      }
      return merge(scenario, depth, tallies);
    } finally {
      pool.shutdownNow();
    }
  }

  private ClientTally client(Scenario scenario, DepthKeeper keeper, long measureFrom, long measureUntil) {
    ClientTally tally = new ClientTally();
    long now = System.nanoTime();
    while (now < measureUntil) {
      long began = now;
      try {
        int messages = scenario.runOnce(operations);
        now = System.nanoTime();
        if (scenario.consumes()) {
          keeper.consumed(messages);
        }
        if (began >= measureFrom) {
          tally.latencies.record(now - began);
          tally.messages += messages;
        }
      } catch (RuntimeException e) {
        now = System.nanoTime();
        tally.failed(began >= measureFrom, e);
      }
    }
    return tally;
  }

  private ScenarioResult merge(Scenario scenario, long depth, List<Future<ClientTally>> tallies) {
    LatencyRecorder all = new LatencyRecorder();
    long messages = 0;
    long errors = 0;
    for (Future<ClientTally> future : tallies) {
      ClientTally tally = await(future);
      all.add(tally.latencies);
      messages += tally.messages;
      errors += tally.errors;
    }
    double seconds = window.toNanos() / 1e9;
    return new ScenarioResult(scenario, depth, seconds, all.count(), messages, errors,
        all.percentileMillis(50), all.percentileMillis(99));
  }

  private static ClientTally await(Future<ClientTally> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the clients", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a client thread failed", e.getCause());
    }
  }

  /** One client's latencies, messages and errors. */
  private static final class ClientTally {
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    final LatencyRecorder latencies = new LatencyRecorder();
    long messages;
    long errors;

    void failed(boolean measured, RuntimeException e) {
      if (measured) {
        errors++;
      }
      // why: one failure explains the rest; printing each would drown the table.
      if (REPORTED.compareAndSet(false, true)) {
        System.err.println("first operation error: " + e);
      }
    }
  }
}
