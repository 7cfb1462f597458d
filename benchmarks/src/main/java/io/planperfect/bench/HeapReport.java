package io.planperfect.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;

/**
 * This JVM's heap, for choosing the launcher's default bound: the live set (heap used right after a
 * full collection), the heap committed and the peak used of the heap pools since start, the collector
 * and the time it spent. {@link #line} runs a full collection: call it between runs, never during one.
 */
final class HeapReport {
  private HeapReport() {}

  static String line() {
    var memory = ManagementFactory.getMemoryMXBean();
    long committed = memory.getHeapMemoryUsage().getCommitted();
    long max = memory.getHeapMemoryUsage().getMax();
    long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.gc();
    long live = memory.getHeapMemoryUsage().getUsed();
    StringBuilder collectors = new StringBuilder();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collectors.append(String.format("%s%s %d in %d ms", collectors.length() == 0 ? "" : ", ", gc.getName(),
          gc.getCollectionCount(), gc.getCollectionTime()));
    }
    return String.format("heap: live set %.0f MB (after a full GC), committed %.0f MB, max %.0f MB, sum of pool peaks %.0f MB;"
        + " collections: %s", mb(live), mb(committed), mb(max), mb(peak), collectors);
  }

  private static double mb(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }
}
