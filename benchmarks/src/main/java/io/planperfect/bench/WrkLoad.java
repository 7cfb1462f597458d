package io.planperfect.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intake load from wrk, a load generator in C, in a process of its own: {@code connections}
 * keep-alive connections on two wrk threads, closed loop, each request an intake body like
 * {@link JavaClientLoad}'s (a Lua script numbers the titles). Latencies are wrk's own
 * ({@code --latency}: p50, p99 and max of every answered request).
 *
 * <p>why not the JDK's HttpClient: on two cores shared with the node and PostgreSQL, 16–64 JDK
 * clients in the node's JVM took more CPU than the intakes they sent (a selector thread per
 * client); a closed loop then measures the client. wrk sends the same load for a few percent
 * of one core.
 */
final class WrkLoad implements IntakeLoad {
  private static final int THREADS = 2;
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m),");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern LATENCY_MAX =
      Pattern.compile("^\\s+Latency\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s|m)\\s", Pattern.MULTILINE);
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
      Pattern.MULTILINE);

  private final String executable;
  private final String url;
  private final Path script;

  private WrkLoad(String executable, int port, String key, Path script) {
    this.executable = executable;
    this.url = "http://127.0.0.1:" + port + ROUTE;
    this.script = script;
    write(script, luaScript(key));
  }

  /** wrk from PATH, posting to the node on {@code port} with {@code key}; empty when wrk is not installed. */
  static Optional<WrkLoad> find(int port, String key) {
    return Executables.onPath("wrk").map(file -> new WrkLoad(file.getAbsolutePath(), port, key, temporaryScript()));
  }

  @Override
  public String describe() {
    return "wrk (" + executable + ", " + THREADS + " threads, its own process)";
  }

  @Override
  public Run run(int connections, Duration length) {
    // why --timeout the run's length: wrk's default (2 s) leaves slower answers out of its latencies and counts them as timeouts
    long seconds = Math.max(1, length.toSeconds());
    List<String> command = List.of(executable, "-t", Integer.toString(Math.min(THREADS, connections)),
        "-c", Integer.toString(connections), "-d", seconds + "s", "--timeout", seconds + "s", "--latency",
        "-s", script.toString(), url);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("wrk failed:\n" + output);
      }
      return parse(connections, output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + executable, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while wrk ran", e);
    }
  }

  /** wrk's report (with {@code --latency}) as a run: answered 2xx requests, the rest as failed, latencies in ms. */
  static Run parse(int connections, String output) {
    Matcher requests = find(REQUESTS, output, "requests in");
    long total = Long.parseLong(requests.group(1));
    double seconds = millis(requests.group(2), requests.group(3)) / 1_000;
    long non2xx = count(NON_2XX, output);
    long socketErrors = 0;
    Matcher sockets = SOCKET_ERRORS.matcher(output);
    if (sockets.find()) {
      // why not timeouts: with --timeout the run's length none is due, and wrk counts a slow answer that did come as one
      for (int g = 1; g <= 3; g++) {
        socketErrors += Long.parseLong(sockets.group(g));
      }
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher percentile = PERCENTILE.matcher(output);
    while (percentile.find()) {
      double value = millis(percentile.group(2), percentile.group(3));
      if (percentile.group(1).equals("50")) {
        p50 = value;
      } else {
        p99 = value;
      }
    }
    if (Double.isNaN(p50) || Double.isNaN(p99)) {
      throw new IllegalStateException("wrk printed no latency distribution (--latency):\n" + output);
    }
    Matcher max = find(LATENCY_MAX, output, "Latency ... Max");
    // why read errors are not subtracted: wrk counts them apart from the requests it completed
    long accepted = Math.max(0, total - non2xx);
    return new Run(connections, seconds, accepted, non2xx + socketErrors, p50, p99, millis(max.group(1), max.group(2)));
  }

  /** Each wrk thread numbers its own requests; the body is {@link IntakeLoad#body}'s with that number. */
  static String luaScript(String key) {
    String[] around = IntakeLoad.body(0).split("Load test article 0", 2);
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer %s"
        local n = 0
        request = function()
          n = n + 1
          return wrk.format(nil, nil, nil, '%s' .. 'Load test article ' .. n .. '%s')
        end
        """.formatted(key, around[0], around[1]);
  }

  private static double millis(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "us" -> v / 1_000;
      case "ms" -> v;
      case "s" -> v * 1_000;
      case "m" -> v * 60_000;
      default -> throw new IllegalArgumentException("unknown wrk unit " + unit);
    };
  }

  private static long count(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static Matcher find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("wrk printed no '" + what + "':\n" + output);
    }
    return m;
  }

  private static Path temporaryScript() {
    try {
      Path file = Files.createTempFile("planperfect-intake-", ".lua");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create wrk's script file", e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
