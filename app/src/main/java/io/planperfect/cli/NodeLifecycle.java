package io.planperfect.cli;

import io.planperfect.PlanPerfectNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a node until the JVM is asked to stop (Ctrl-C, SIGTERM). The shutdown hook is in place
 * before the node starts, so a signal that arrives mid-start still closes the node (releasing
 * any message it already claimed) once the start has finished.
 */
final class NodeLifecycle {
  private static final long START_WAIT_SECONDS = 60;

  private final CountDownLatch startFinished = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile PlanPerfectNode node;

  PlanPerfectNode start(Supplier<PlanPerfectNode> starter) {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "pp-shutdown"));
    try {
      node = starter.get();
      return node;
    } finally {
      startFinished.countDown();
    }
  }

  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private void stop() {
    try {
      startFinished.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
      if (node != null) {
        System.out.println("PlanPerfect stopping...");
        node.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }
}
