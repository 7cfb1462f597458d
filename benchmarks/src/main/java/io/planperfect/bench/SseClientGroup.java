package io.planperfect.bench;

import java.net.URI;

/**
 * A group of Server-Sent Events clients the SSE harness measures together: in the node's JVM
 * ({@link #local}) or in a JVM of their own ({@link SseClientJvm}), so that the clients' reading and
 * garbage collection do not share the node's JVM.
 */
interface SseClientGroup extends AutoCloseable {
  /** Opens {@code count} streams on {@code uri}; returns once every response began. */
  void open(URI uri, String key, int count);

  /** Opens one stream on {@code uri} without waiting, unless {@code cap} of this group's streams are open already. */
  void attach(URI uri, String key, int cap);

  /** What the group received, its completed events timed against the commits; read after the run. */
  SseGroupResult result();

  @Override
  void close();

  /** Clients on a selector thread of this JVM, timed against {@code clock} as their events arrive. */
  static SseClientGroup local(CommitClock clock) {
    SseClients clients = new SseClients(clock);
    return new SseClientGroup() {
      private int skipped;

      @Override
      public void open(URI uri, String key, int count) {
        clients.open(uri, key, count);
      }

      @Override
      public synchronized void attach(URI uri, String key, int cap) {
        if (clients.openNow() >= cap) {
          skipped++;
          return;
        }
        clients.attach(uri, key);
      }

      @Override
      public synchronized SseGroupResult result() {
        return new SseGroupResult(clients.latencies(), clients.frames(), clients.ended(), clients.finished(),
            clients.mostOpen(), skipped, clients.unmatched());
      }

      @Override
      public void close() {
        clients.close();
      }
    };
  }
}
