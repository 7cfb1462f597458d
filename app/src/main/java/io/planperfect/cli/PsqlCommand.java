package io.planperfect.cli;

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code psql [args]}: psql on the database serve uses. Runs the system's psql when there is
 * one; otherwise a built-in runner that executes {@code -c SQL} / {@code -f FILE} / standard input.
 */
@Command(name = "psql", description = "Open psql on the database that serve uses (same --data-dir). "
    + "Extra arguments go to psql, e.g. -c \"select * from content_jobs\".")
final class PsqlCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Unmatched List<String> psqlArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try (DatabaseConnection connection = DatabaseConnection.open(database.settings())) {
      String psql = findOnPath("psql");
      return psql != null ? runPsql(psql, connection) : new SqlRunner(connection.address()).run(psqlArgs);
    }
  }

  private int runPsql(String psql, DatabaseConnection connection) throws Exception {
    URI uri = connection.address().uri();
    List<String> command = new ArrayList<>(List.of(psql));
    command.addAll(psqlArgs);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    Map<String, String> env = builder.environment();
    env.put("PGHOST", uri.getHost());
    env.put("PGPORT", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
    env.put("PGDATABASE", uri.getPath().substring(1));
    env.put("PGUSER", connection.address().user());
    env.put("PGPASSWORD", connection.address().password());
    return builder.start().waitFor();
  }

  private static String findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}
