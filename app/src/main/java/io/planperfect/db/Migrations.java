package io.planperfect.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database to the current schema with Flyway, from db/migration: versioned files
 * ({@code V001__…}: tables, indexes, data; never edited once committed) and repeatable files
 * ({@code R__<family>.sql}: every function, view and trigger in its current form), recorded in
 * {@code planperfect_schema_history} with validation on.
 *
 * <p>A database migrated by the release before this layout has its history in
 * {@code flyway_schema_history} (V1..V17, see {@link LegacyHistory}). Such a database gets a new
 * history baselined at {@link #SQUASHED_VERSION}, the version whose files reproduce V1..V17, so
 * the later versioned files and every repeatable file run on it; the old history table stays as
 * it was, for the record (and for the previous release, which still finds itself up to date).
 */
final class Migrations {
  static final String HISTORY_TABLE = "planperfect_schema_history";
  /** V001..V006 create what the released V1..V17 created (SchemaLayoutTest compares the catalogs). */
  static final String SQUASHED_VERSION = "006";

  private Migrations() {}

  static void migrate(DataSource pool, DatabaseAddress address) {
    // why a connection of its own: the lock must be held across Flyway's own connections from the
    // pool, and a small pool (2 in some tools) must not be left short of them.
    try (Connection lock = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password())) {
      lock.setAutoCommit(false);
      holdMigrationLock(lock);
      Flyway flyway = flyway(pool);
      if (LegacyHistory.needsBaseline(lock, HISTORY_TABLE)) {
        LegacyHistory.verify(lock);
        flyway.baseline();
      }
      flyway.migrate();
      lock.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException("could not migrate " + address.displayUrl() + ": " + e.getMessage(), e);
    }
  }

  /** The migrations Flyway would apply now: versions (or descriptions, for repeatable files) in order. */
  static java.util.List<String> pending(DataSource pool) {
    return java.util.Arrays.stream(flyway(pool).info().pending())
        .map(m -> m.getVersion() == null ? m.getDescription() : m.getVersion().getVersion())
        .toList();
  }

  private static Flyway flyway(DataSource pool) {
    return Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .table(HISTORY_TABLE)
        .baselineVersion(SQUASHED_VERSION)
        .baselineDescription("V1..V17 of " + LegacyHistory.TABLE)
        .validateMigrationNaming(true)
        .load();
  }

  // why: nodes that start together on a database of the previous release must not both decide to
  // baseline it; the second one waits here and then finds the new history in place.
  private static void holdMigrationLock(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("select pg_advisory_xact_lock(hashtextextended('planperfect:migrate', 0))");
    }
  }
}
