package io.planperfect.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The SSE harness's clients in a JVM of their own ({@code --clients-jvm}), driven by
 * {@link SseClientJvm} over stdin/stdout, one command a line: {@code ready} (answers {@code ok}),
 * {@code open GROUP COUNT URI KEY} (answers {@code ok} once every stream began),
 * {@code attach GROUP CAP URI KEY} (no answer), {@code result GROUP} (answers
 * {@code result FRAMES DROPPED FINISHED MOST_OPEN SKIPPED FILE}), {@code close GROUP} (answers {@code ok}).
 * Each completed event is written to the group's file as {@code job stage arrived connected}
 * (System.nanoTime, the machine's monotonic clock on Linux, the same in both JVMs); the harness
 * times it against the commit it saw.
 */
public final class SseClientsProcess {
  private SseClientsProcess() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("pp-sse-clients");
    Map<String, Group> groups = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "ready" -> answer("ok");
        case "open" -> {
          group(groups, dir, words[1]).clients.open(URI.create(words[3]), words[4], Integer.parseInt(words[2]));
          answer("ok");
        }
        case "attach" -> group(groups, dir, words[1]).attach(Integer.parseInt(words[2]), URI.create(words[3]), words[4]);
        case "result" -> {
          Group group = group(groups, dir, words[1]);
          group.flush();
          SseClients c = group.clients;
          answer("result " + c.frames() + " " + c.ended() + " " + c.finished() + " " + c.mostOpen() + " "
              + group.skipped + " " + group.file);
        }
        case "close" -> {
          Group group = groups.remove(words[1]);
          if (group != null) {
            group.close();
          }
          answer("ok");
        }
        default -> answer("error unknown command " + words[0]);
      }
    }
    groups.values().forEach(Group::close);
    System.exit(0);
  }

  private static Group group(Map<String, Group> groups, Path dir, String name) {
    return groups.computeIfAbsent(name, n -> new Group(dir.resolve(n + ".arrivals")));
  }

  private static void answer(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** One group's clients and the file their completed events go to. */
  private static final class Group implements SseClients.Arrivals {
    private final Path file;
    private final BufferedWriter out;
    private final SseClients clients;
    private int skipped;

    Group(Path file) {
      this.file = file;
      try {
        this.out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.clients = new SseClients(this);
    }

    void attach(int cap, URI uri, String key) {
      if (clients.openNow() >= cap) {
        skipped++;
        return;
      }
      clients.attach(uri, key);
    }

    @Override
    public synchronized void completed(String jobId, String stage, long arrivedNanos, long connectedNanos) {
      try {
        out.write(jobId + " " + stage + " " + arrivedNanos + " " + connectedNanos + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void close() {
      clients.close();
      synchronized (this) {
        try {
          out.close();
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temp file
        }
      }
    }
  }
}
