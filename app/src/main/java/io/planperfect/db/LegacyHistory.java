package io.planperfect.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The history that PlanPerfect's last release before the SQL re-layout (commit b89e50e) leaves in
 * {@code flyway_schema_history}: V1..V17 with their checksums, listed in db/legacy-history.tsv.
 * Only a database whose history is exactly that is baselined onto the new layout; any other is
 * refused, so that nothing the squashed files do not reproduce is passed over.
 */
final class LegacyHistory {
  static final String TABLE = "flyway_schema_history";
  private static final String RESOURCE = "/db/legacy-history.tsv";

  /** One applied migration: version, Flyway checksum, and whether it succeeded. */
  record Entry(String version, Integer checksum, boolean success) {
    @Override
    public String toString() {
      return "V" + version + " (checksum " + checksum + (success ? "" : ", failed") + ")";
    }
  }

  private LegacyHistory() {}

  /** True when the database has the old history table and not yet the new one. */
  static boolean needsBaseline(Connection connection, String newTable) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "select to_regclass(?) is not null and to_regclass(?) is null")) {
      query.setString(1, TABLE);
      query.setString(2, newTable);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Refuses, naming the first difference, a history that is not exactly the released one. */
  static void verify(Connection connection) throws SQLException {
    List<Entry> expected = released();
    List<Entry> found = applied(connection);
    for (int i = 0; i < Math.max(expected.size(), found.size()); i++) {
      Entry want = i < expected.size() ? expected.get(i) : null;
      Entry have = i < found.size() ? found.get(i) : null;
      if (want == null || !want.equals(have)) {
        throw new IllegalStateException(refusal(want, have));
      }
    }
  }

  static List<Entry> released() {
    try (InputStream in = LegacyHistory.class.getResourceAsStream(RESOURCE);
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<Entry> entries = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] fields = line.split("\t");
          entries.add(new Entry(fields[0], Integer.valueOf(fields[1]), true));
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }

  private static List<Entry> applied(Connection connection) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "select version, checksum, success from " + TABLE + " order by installed_rank");
         ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        entries.add(new Entry(rs.getString(1), (Integer) rs.getObject(2), rs.getBoolean(3)));
      }
    }
    return entries;
  }

  private static String refusal(Entry want, Entry have) {
    String difference = want == null ? "it also holds " + have
        : have == null ? "it ends before " + want
        : "it holds " + have + " where the release has " + want;
    return "This database's " + TABLE + " is not the history of PlanPerfect's last release before the SQL "
        + "re-layout (V1..V17): " + difference + ". Migrate it with that release (commit b89e50e, "
        + "./planperfect migrate) first, then start this version again.";
  }
}
