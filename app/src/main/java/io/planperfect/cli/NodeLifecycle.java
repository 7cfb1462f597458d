package io.planperfect.cli;

import io.planperfect.PlanPerfectNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a node until the JVM is asked to stop (Ctrl-C, SIGTERM). The shutdown hook is in place
 * before the node starts, so a signal that arrives mid-start still closes the node (releasing
 * any message it already claimed) once the start has finished. A node that closed cleanly exits
 * with status 0; one whose close failed exits as the JVM does after a signal (143 for SIGTERM).
 */
public final class NodeLifecycle {
  private static final long START_WAIT_SECONDS = 60;

  private final CountDownLatch startFinished = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile PlanPerfectNode node;

  public PlanPerfectNode start(Supplier<PlanPerfectNode> starter) {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "pp-shutdown"));
    try {
      node = starter.get();
      return node;
    } finally {
      startFinished.countDown();
    }
  }

  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private void stop() {
    boolean clean = false;
    try {
      startFinished.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
      if (node != null) {
        System.out.println("PlanPerfect stopping...");
        node.close();
        System.out.println("PlanPerfect stopped.");
      }
      clean = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
    if (clean) {
      // why halt: a drained stop is a clean exit, and supervisors read 143 as a failure
      // (RELIABILITY R3: exit 0 within the grace period). halt from a shutdown hook ends the JVM
      // with this status at once; the node is closed and stdout flushed, so nothing is cut short.
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
  }
}
