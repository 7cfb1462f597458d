package io.planperfect.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a user runs it against a server: {@code io.planperfect.cli.Main} in its own JVM, with
 * {@code PLANPERFECT_URL} and {@code PLANPERFECT_KEY} set (null in {@code env} removes a variable), and
 * standard output and error kept apart.
 */
final class CliProcess {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final List<String> INHERITED_KEYS = List.of("PLANPERFECT_KEY", "PLANPERFECT_SERVICE_KEY",
      "PLANPERFECT_ANON_KEY", "PLANPERFECT_URL", "PLANPERFECT_DATA_DIR");

  record Finished(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final String url;
  private final String key;
  private final Path workDir;

  CliProcess(int port, String key, Path workDir) {
    this.url = "http://127.0.0.1:" + port;
    this.key = key;
    this.workDir = workDir;
  }

  Finished run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  Finished run(Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> environment = builder.environment();
    INHERITED_KEYS.forEach(environment::remove);
    environment.put("PLANPERFECT_URL", url);
    environment.put("PLANPERFECT_KEY", key);
    env.forEach((name, value) -> {
      if (value == null) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
    });
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = readAll(process.getInputStream());
    CompletableFuture<String> err = readAll(process.getErrorStream());
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("planperfect " + String.join(" ", args) + " did not end within " + TIMEOUT);
    }
    return new Finished(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> readAll(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
