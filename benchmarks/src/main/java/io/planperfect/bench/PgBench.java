package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL's own pgbench, run against the same server as the queue so the queue's figures can
 * be read as a ratio to what this server does for a small write transaction: {@code pgbench -N}
 * ("simple update": update an account, select its balance, insert a history row; one commit).
 */
final class PgBench {
  static final String DATABASE = "pgbench";
  private static final int SCALE = 10;
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
  private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final String executable;
  private final DatabaseAddress server;

  private PgBench(String executable, DatabaseAddress server) {
    this.executable = executable;
    this.server = server;
  }

  /** pgbench from PATH, or empty when it is not installed. */
  static Optional<PgBench> find(DatabaseAddress server) {
    return Executables.onPath("pgbench").map(file -> new PgBench(file.getAbsolutePath(), server));
  }

  /** Creates and initialises database {@value #DATABASE} (scale 10), then runs the simple-update load. */
  PgBenchResult run(Jdbi admin, int clients, int seconds) {
    createDatabase(admin);
    execute(List.of("-i", "-q", "-s", Integer.toString(SCALE)));
    String output = execute(List.of("-N", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(2, clients)),
        "-T", Integer.toString(seconds), "-M", "prepared"));
    return parse(output);
  }

  /** Creates database {@value #DATABASE} when missing and initialises it (scale 10). */
  void initialise(Jdbi admin) {
    createDatabase(admin);
    execute(List.of("-i", "-q", "-s", Integer.toString(SCALE)));
  }

  /** Exactly {@code transactions} simple updates on one client, on an {@link #initialise initialised} database. */
  PgBenchResult runTransactions(int transactions) {
    // why -n: no vacuum and truncate of the history table before the run, which would count as the run's writes.
    return parse(execute(List.of("-n", "-N", "-c", "1", "-t", Integer.toString(transactions), "-M", "prepared")));
  }

  static PgBenchResult parse(String output) {
    return new PgBenchResult(
        Double.parseDouble(find(TPS, output, "tps")),
        Double.parseDouble(find(LATENCY, output, "latency average")),
        Long.parseLong(findOr(FAILED, output, "0")));
  }

  private static void createDatabase(Jdbi admin) {
    admin.useHandle(h -> {
      boolean exists = h.createQuery("select count(*) > 0 from pg_database where datname = :name")
          .bind("name", DATABASE).mapTo(Boolean.class).one();
      if (!exists) {
        h.execute("create database " + DATABASE);
      }
    });
  }

  private String execute(List<String> arguments) {
    URI uri = server.uri();
    List<String> command = new ArrayList<>(List.of(executable,
        "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()), "-U", server.user()));
    command.addAll(arguments);
    command.add(DATABASE);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", server.password());
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("pgbench " + String.join(" ", arguments) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + executable, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pgbench ran", e);
    }
  }

  private static String find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("pgbench printed no '" + what + "':\n" + output);
    }
    return m.group(1);
  }

  private static String findOr(Pattern pattern, String output, String fallback) {
    Matcher m = pattern.matcher(output);
    return m.find() ? m.group(1) : fallback;
  }
}
