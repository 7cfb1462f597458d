package io.planperfect;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a node has started, closed in reverse order of start; one part's failure to close does not stop the rest. */
final class OwnedParts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnedParts.class);

  private final List<AutoCloseable> parts = new ArrayList<>();

  <T extends AutoCloseable> T own(T part) {
    parts.add(part);
    return part;
  }

  @Override
  public void close() {
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
