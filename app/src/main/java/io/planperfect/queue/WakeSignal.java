package io.planperfect.queue;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A latch a stage's claim loop sleeps on: a signal that arrives while nobody waits is kept,
 * so the next wait returns at once and no wake-up is lost.
 */
public final class WakeSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;

  public void signal() {
    lock.lock();
    try {
      pending = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until signalled or the timeout passes; returns true when signalled. */
  public boolean await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!pending && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      boolean wasSignalled = pending;
      pending = false;
      return wasSignalled;
    } finally {
      lock.unlock();
    }
  }

}
