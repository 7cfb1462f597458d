package io.planperfect.http;

/**
 * Whether this node has started its loops (claim loops, listener, dispatcher, scheduler, callback
 * delivery). A node binds its HTTP server first and starts its loops after, so that it answers at
 * once whatever its backlog; until then {@code /health} says {@code starting} with a 503. Set once,
 * by the node; read by the health routes.
 */
public final class NodeReadiness {
  private volatile boolean started;

  /** Called by the node once every loop has started. */
  public void markStarted() {
    started = true;
  }

  public boolean started() {
    return started;
  }
}
