package io.planperfect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time used by the node processes, by the PostgreSQL server (its postmaster and every process
 * under it, when it runs on this machine) and by the whole machine ({@code /proc/stat}), so that a
 * window's figures say which side was saturated. A process that exits within a window loses its share.
 */
final class CpuMeter {
  private final Supplier<List<ProcessHandle>> nodes;
  private final Optional<ProcessHandle> postmaster;

  CpuMeter(Supplier<List<ProcessHandle>> nodes, Optional<ProcessHandle> postmaster) {
    this.nodes = nodes;
    this.postmaster = postmaster;
  }

  /** The postmaster of the backend with this pid, if that backend runs on this machine and is a postgres. */
  static Optional<ProcessHandle> postmasterOf(long backendPid) {
    return ProcessHandle.of(backendPid)
        .filter(backend -> backend.info().command().map(c -> c.endsWith("postgres")).orElse(false))
        .flatMap(ProcessHandle::parent);
  }

  Sample sample() {
    long[] machine = machineTicks();
    return new Sample(System.nanoTime(), cpu(nodes.get().stream()),
        postmaster.map(p -> cpu(Stream.concat(Stream.of(p), p.descendants()))), machine[0], machine[1]);
  }

  private static Duration cpu(Stream<ProcessHandle> processes) {
    return processes.map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
  }

  /** Busy and total jiffies of all cores since boot; zeros when /proc/stat cannot be read. */
  private static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) {
        total += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** One reading: when, the nodes' CPU, the database's CPU (empty when not local), the machine's jiffies. */
  record Sample(long nanos, Duration nodes, Optional<Duration> database, long machineBusy, long machineTotal) {

    /** From this sample to {@code later}: cores used by the nodes and the database, and the machine's busy share. */
    Usage until(Sample later) {
      double seconds = (later.nanos - nanos) / 1e9;
      Optional<Double> databaseCores = database.flatMap(d -> later.database.map(l -> l.minus(d).toNanos() / 1e9 / seconds));
      long total = later.machineTotal - machineTotal;
      double busy = total == 0 ? Double.NaN : (later.machineBusy - machineBusy) / (double) total;
      return new Usage(later.nodes.minus(nodes).toNanos() / 1e9 / seconds, databaseCores, busy);
    }
  }

  /** Cores used (1.0 = one core busy all the time) and the machine's busy share (0..1). */
  record Usage(double nodeCores, Optional<Double> databaseCores, double machineBusy) {}
}
