package io.planperfect.crash;

import io.planperfect.testing.ChildNodeMain;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A PlanPerfect node in its own JVM, against the test database, that a test can SIGKILL. */
public final class ChildNode implements AutoCloseable {
  /** Lines a child prints to say it reached a fault point (see faults.FaultNodeMain). */
  public static final String FAULT_POINT = "FAULT-POINT ";

  private final Process process;
  private final int port;
  private final BlockingQueue<String> faultPoints;

  private ChildNode(Process process, int port, BlockingQueue<String> faultPoints) {
    this.process = process;
    this.port = port;
    this.faultPoints = faultPoints;
  }

  static ChildNode start(long stageDelayMillis, Map<String, String> env) throws Exception {
    return start(ChildNodeMain.class, List.of(Long.toString(stageDelayMillis)), env);
  }

  /** Starts the given main class (which prints {@code READY <port>}) in a child JVM against the test database. */
  public static ChildNode start(Class<?> mainClass, List<String> args, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(
        java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    var address = TestDatabase.address();
    builder.environment().putAll(Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_SERVICE_KEY", TestNode.SERVICE_KEY,
        "PLANPERFECT_ANON_KEY", TestNode.ANON_KEY,
        "PLANPERFECT_DATA_DIR", Files.createTempDirectory("pp-child").toString(),
        "PLANPERFECT_POLL_MILLIS", "200",
        "PLANPERFECT_ALLOW_UNSAFE_DURABILITY", "true"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    BlockingQueue<String> faultPoints = new LinkedBlockingQueue<>();
    return new ChildNode(process, awaitReady(process, faultPoints), faultPoints);
  }

  private static int awaitReady(Process process, BlockingQueue<String> faultPoints) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            ready.complete(Integer.parseInt(line.substring(6).trim()));
          } else if (line.startsWith(FAULT_POINT)) {
            faultPoints.add(line.substring(FAULT_POINT.length()));
          }
        }
        ready.completeExceptionally(new IllegalStateException("child exited before it was ready"));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    return ready.get(60, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The fault point the child reported having reached ({@code <point> <job> <stage> <epoch ms>}), if any yet. */
  public Optional<String> faultPoint() {
    return Optional.ofNullable(faultPoints.peek());
  }

  /** Writes one line on the child's standard input (see testing.OpenedNodeMain). */
  public void sendLine(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM: the node's shutdown hook drains; returns the exit code, or -1 if still running after the timeout. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL: no shutdown hook runs, in-flight messages stay leased until their timeout. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {  // SIGKILL if still running
    if (process.isAlive()) {
      kill();
    }
  }

}
