package io.planperfect.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the queue depth roughly constant while claims consume it: every 100 ms it puts back,
 * in one SQL statement, as many messages as were claimed since the last round.
 */
final class DepthKeeper implements AutoCloseable {
  private static final long ROUND_MILLIS = 100;

  private final QueueFixture fixture;
  private final AtomicLong owed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private DepthKeeper(QueueFixture fixture) {
    this.fixture = fixture;
    this.thread = new Thread(this::loop, "depth-keeper");
    this.thread.setDaemon(true);
  }

  static DepthKeeper start(QueueFixture fixture) {
    DepthKeeper keeper = new DepthKeeper(fixture);
    keeper.thread.start();
    return keeper;
  }

  void consumed(int messages) {
    if (messages > 0) {
      owed.addAndGet(messages);
    }
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(ROUND_MILLIS);
        long n = owed.getAndSet(0);
        if (n > 0) {
          fixture.fill(n);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("depth keeper: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
