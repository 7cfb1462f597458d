package io.planperfect.testing;

import io.planperfect.db.DatabaseAddress;
import org.flywaydb.core.Flyway;

/**
 * The migrations of PlanPerfect's last release before the SQL re-layout (V1..V17, byte for byte
 * as released, in src/test/resources/db/released), applied as that release applied them: Flyway's
 * default history table, flyway_schema_history. Tests migrate a database with them, then with
 * today's {@code Database.migrate()}, to check the upgrade.
 */
public final class ReleasedSchema {
  /** Set (-Dplanperfect.test.upgradedDatabase=true) to run tests on a database upgraded from the release. */
  public static final String UPGRADED_DATABASE_PROPERTY = "planperfect.test.upgradedDatabase";

  private ReleasedSchema() {}

  public static void migrate(DatabaseAddress address) {
    migrate(address, "latest");
  }

  /** Up to and including {@code target} (a version such as "12", or "latest"). */
  public static void migrate(DatabaseAddress address, String target) {
    Flyway.configure()
        .dataSource(address.jdbcUrl(), address.user(), address.password())
        .locations("classpath:db/released")
        .target(target)
        .load()
        .migrate();
  }
}
