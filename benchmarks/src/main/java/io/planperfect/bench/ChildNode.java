package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link BacklogNodeMain} node in a child JVM started with the launcher's default heap options
 * (read from {@code ./planperfect}, so the figure follows the launcher), its output in a log file;
 * {@link #rssKib} reads its resident set from {@code /proc/<pid>/status}.
 */
final class ChildNode implements AutoCloseable {
  // why a copy: when the launcher is not found (a jar run elsewhere), the default it had when this was written.
  private static final String FALLBACK_JAVA_OPTS = "-Xms64m -Xmx512m -XX:+UseSerialGC";
  private static final Pattern LAUNCHER_DEFAULT = Pattern.compile("PLANPERFECT_JAVA_OPTS:-([^}]*)}");

  private final Process process;
  private final List<String> javaOptions;

  private ChildNode(Process process, List<String> javaOptions) {
    this.process = process;
    this.javaOptions = javaOptions;
  }

  static ChildNode start(DatabaseAddress address, int stageConcurrency, Path log) {
    List<String> options = launcherJavaOptions();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BacklogNodeMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(BenchNodeSettings.environment(address, stageConcurrency));
    try {
      ChildNode child = new ChildNode(builder.start(), options);
      child.awaitReady(log);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the node JVM: " + command, e);
    }
  }

  /** The launcher's default JVM options (its {@code PLANPERFECT_JAVA_OPTS:-...} fallback). */
  static List<String> launcherJavaOptions() {
    Path launcher = Path.of("planperfect");
    String options = FALLBACK_JAVA_OPTS;
    try {
      if (Files.isRegularFile(launcher)) {
        Matcher m = LAUNCHER_DEFAULT.matcher(Files.readString(launcher));
        if (m.find()) {
          options = m.group(1).trim();
        }
      }
    } catch (IOException e) {
      System.err.println("could not read ./planperfect, using " + FALLBACK_JAVA_OPTS + ": " + e.getMessage());
    }
    return List.of(options.split("\\s+"));
  }

  List<String> javaOptions() {
    return javaOptions;
  }

  long pid() {
    return process.pid();
  }

  /** VmRSS of the node JVM in KiB, or -1 when it cannot be read. */
  long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node JVM exited with " + process.exitValue() + "; see " + log);
      }
      try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
        if (reader.lines().anyMatch(line -> line.startsWith("READY "))) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + log, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the node started", e);
      }
    }
    throw new IllegalStateException("the node JVM did not say READY within 120 s; see " + log);
  }

  @Override
  public void close() {
    try (PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8)) {
      in.flush();
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
