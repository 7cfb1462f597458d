package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScaleNode} in a child JVM on this machine's java and this harness's class path, its
 * output copied to a log file. Configured through its environment (the database's password never
 * appears on a command line); closing stops it by closing its standard input, then waits for it.
 */
final class NodeProcess implements AutoCloseable {
  // why: on a saturated 2-core machine a node JVM took over 2 minutes to start (load average 90).
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread copier = new Thread(this::copyOutput, "scale-node-output-" + process.pid());
    copier.setDaemon(true);
    copier.start();
  }

  static NodeProcess start(DatabaseAddress database, int stageConcurrency, String javaOptions, Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : javaOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleNode.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(java.util.Map.of(
        "PLANPERFECT_DB_URL", database.jdbcUrl(),
        "PLANPERFECT_DB_USER", database.user(),
        "PLANPERFECT_DB_PASSWORD", database.password(),
        "PLANPERFECT_STAGE_CONCURRENCY", Integer.toString(stageConcurrency),
        // why: with both keys given the node writes no key file, so it needs no data dir.
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", UUID.randomUUID().toString()));
    try {
      Files.createDirectories(log.getParent());
      return new NodeProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a node process: " + command.get(0), e);
    }
  }

  /** Waits until the node printed that its loops run; fails with the log's place when it exits or takes too long. */
  void awaitReady() {
    try {
      ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for node process " + process.pid(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new NotReady("node process " + process.pid() + " was not ready within " + START_TIMEOUT.toMinutes()
          + " minutes; see " + log, e);
    }
  }

  /** A node that exited or took too long before it was ready. */
  static final class NotReady extends IllegalStateException {
    NotReady(String message, Throwable cause) {
      super(message, cause);
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  private void copyOutput() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        file.println(line);
        if (line.equals(ScaleNode.READY)) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    // why: no-op once ready; before that, the node's output ended (it exited) without getting ready.
    ready.completeExceptionally(new IllegalStateException("its output ended before it was ready"));
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println("node process " + process.pid() + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
