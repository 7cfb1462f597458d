package io.planperfect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node has made, closed in reverse order of making; one part's failure to close does not
 * stop the rest. Loops (claim loops, listener, dispatcher, scheduler, callback delivery) are owned
 * when made but started by {@link #startLoops}, in the order they were made, once the node's HTTP
 * server listens: a node with a deep backlog must answer before its workers compete for the database.
 */
final class OwnedParts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnedParts.class);

  private final List<AutoCloseable> parts = new ArrayList<>();
  private final List<Runnable> loopStarts = new ArrayList<>();

  <T extends AutoCloseable> T own(T part) {
    parts.add(part);
    return part;
  }

  /** Owns the part now; {@link #startLoops} starts it. Its close must be safe when it never started. */
  <T extends AutoCloseable> T ownLoop(T part, Consumer<T> start) {
    own(part);
    loopStarts.add(() -> start.accept(part));
    return part;
  }

  void startLoops() {
    loopStarts.forEach(Runnable::run);
    loopStarts.clear();
  }

  @Override
  public void close() {
    loopStarts.clear();
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    parts.clear();
  }
}
