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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A PlanPerfect node in its own JVM, against the test database, that a test can SIGKILL. */
final class ChildNode implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildNode(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ChildNode start(long stageDelayMillis, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ChildNodeMain.class.getName(), Long.toString(stageDelayMillis));
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
    return new ChildNode(process, awaitReady(process));
  }

  private static int awaitReady(Process process) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            ready.complete(Integer.parseInt(line.substring(6).trim()));
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

  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook runs, in-flight messages stay leased until their timeout. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

}
