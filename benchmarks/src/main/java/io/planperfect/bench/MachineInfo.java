package io.planperfect.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Where the figures came from: the machine, the JVM, the PostgreSQL server and its durability settings. */
record MachineInfo(int cores, String cpu, long memoryBytes, String java, String postgres,
                   String fsync, String synchronousCommit, String fullPageWrites, String sharedBuffers) {

  static MachineInfo collect(Jdbi jdbi) {
    return jdbi.withHandle(h -> new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        totalMemory(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        h.createQuery("select version()").mapTo(String.class).one(),
        setting(h, "fsync"),
        setting(h, "synchronous_commit"),
        setting(h, "full_page_writes"),
        setting(h, "shared_buffers")));
  }

  List<String> lines() {
    return List.of(
        "machine:    " + cores + " cores (" + cpu + "), " + String.format("%.1f GiB", memoryBytes / 1024.0 / 1024 / 1024) + " memory",
        "java:       " + java,
        "postgresql: " + postgres,
        "settings:   fsync=" + fsync + ", synchronous_commit=" + synchronousCommit
            + ", full_page_writes=" + fullPageWrites + ", shared_buffers=" + sharedBuffers);
  }

  /** The 1-minute load average: on a 2-core machine, anything else running skews every figure. */
  static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format("%.2f", load);
  }

  private static String setting(org.jdbi.v3.core.Handle h, String name) {
    return h.createQuery("select current_setting(:name)").bind("name", name).mapTo(String.class).one();
  }

  private static long totalMemory() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown cpu");
    } catch (IOException e) {
      return "unknown cpu";
    }
  }
}
