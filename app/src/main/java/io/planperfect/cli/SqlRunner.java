package io.planperfect.cli;

import io.planperfect.db.DatabaseAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback for machines without psql: runs {@code -c SQL} and {@code -f FILE} arguments (or
 * standard input) over JDBC and prints each result as an aligned table, as psql does.
 */
final class SqlRunner {
  private final DatabaseAddress address;

  SqlRunner(DatabaseAddress address) {
    this.address = address;
  }

  int run(List<String> args) throws IOException {
    List<String> scripts = scripts(args);
    try (Connection connection = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password())) {
      for (String sql : scripts) {
        execute(connection, sql);
      }
      return 0;
    } catch (SQLException e) {
      System.err.println("ERROR: " + e.getMessage());
      return 1;
    }
  }

  private static List<String> scripts(List<String> args) throws IOException {
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-c") || arg.equals("-f")) && i + 1 < args.size()) {
        String value = args.get(++i);
        scripts.add(arg.equals("-c") ? value : Files.readString(Path.of(value)));
      } else if (arg.startsWith("--command=")) {
        scripts.add(arg.substring("--command=".length()));
      }
    }
    if (scripts.isEmpty()) {
      System.err.println("(psql not found on PATH: reading SQL from standard input; install postgresql-client for the full psql)");
      scripts.add(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
    }
    return scripts;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      boolean isResult = statement.execute(sql);
      while (true) {
        if (isResult) {
          try (ResultSet rs = statement.getResultSet()) {
            print(rs);
          }
        } else if (statement.getUpdateCount() >= 0) {
          System.out.println("UPDATE " + statement.getUpdateCount());
        } else {
          return;
        }
        isResult = statement.getMoreResults();
      }
    }
  }

  private static void print(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[columns];
    int[] widths = new int[columns];
    for (int c = 0; c < columns; c++) {
      header[c] = meta.getColumnLabel(c + 1);
      widths[c] = header[c].length();
    }
    while (rs.next()) {
      String[] row = new String[columns];
      for (int c = 0; c < columns; c++) {
        row[c] = rs.getString(c + 1) == null ? "" : rs.getString(c + 1);
        widths[c] = Math.max(widths[c], row[c].length());
      }
      rows.add(row);
    }
    System.out.println(line(header, widths));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      rule.append(c == 0 ? "" : "+").append("-".repeat(widths[c] + 2));
    }
    System.out.println(rule);
    rows.forEach(row -> System.out.println(line(row, widths)));
    System.out.printf("(%d row%s)%n%n", rows.size(), rows.size() == 1 ? "" : "s");
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      line.append(c == 0 ? " " : " | ").append(String.format("%-" + widths[c] + "s", cells[c]));
    }
    return line.toString();
  }
}
