package io.planperfect.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The SSE clients' own JVM ({@link SseClientsProcess}), started with this JVM's class path: the
 * clients' reading and garbage collection no longer share the node's JVM (they still share its
 * cores). Each {@link #group} is a set of clients in it; their completed events come back as a file
 * and are timed here against the commits ({@link CommitClock}).
 */
final class SseClientJvm implements AutoCloseable {
  private static final AtomicInteger GROUPS = new AtomicInteger();

  private final Process process;
  private final BufferedWriter commands;
  private final BufferedReader answers;

  SseClientJvm() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          SseClientsProcess.class.getName()))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the clients' JVM", e);
    }
    commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
    answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    // why: a job's stream must open as its submit returns; a JVM still starting would open it after the job ended
    ask("ready");
  }

  /** A new group of clients in the clients' JVM, timed against {@code clock}. */
  SseClientGroup group(CommitClock clock) {
    String name = "g" + GROUPS.incrementAndGet();
    return new SseClientGroup() {
      @Override
      public void open(URI uri, String key, int count) {
        ask("open " + name + " " + count + " " + uri + " " + key);
      }

      @Override
      public void attach(URI uri, String key, int cap) {
        send("attach " + name + " " + cap + " " + uri + " " + key);
      }

      @Override
      public SseGroupResult result() {
        String[] w = ask("result " + name).split(" ");
        SseClients.Timed timed = new SseClients.Timed(clock);
        try (Stream<String> lines = Files.lines(Path.of(w[6]), StandardCharsets.US_ASCII)) {
          lines.forEach(line -> {
            String[] f = line.split(" ");
            timed.completed(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
          });
        } catch (IOException e) {
          throw new UncheckedIOException("could not read the clients' arrivals", e);
        }
        return new SseGroupResult(timed.merged(), Long.parseLong(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]),
            Integer.parseInt(w[4]), Integer.parseInt(w[5]), timed.unmatched.get());
      }

      @Override
      public void close() {
        ask("close " + name);
      }
    };
  }

  private synchronized void send(String command) {
    try {
      commands.write(command);
      commands.write('\n');
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the clients' JVM stopped taking commands", e);
    }
  }

  private synchronized String ask(String command) {
    send(command);
    try {
      String answer = answers.readLine();
      if (answer == null || answer.startsWith("error")) {
        throw new IllegalStateException("the clients' JVM answered '" + answer + "' to " + command.split(" ")[0]);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException("the clients' JVM stopped answering", e);
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
