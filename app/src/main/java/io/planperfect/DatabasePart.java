package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.db.DurabilityCheck;
import io.planperfect.db.EmbeddedPostgresServer;
import org.jdbi.v3.core.Jdbi;

/** A node's database: the configured PostgreSQL or an embedded one, the pool, the migrations, the durability check. */
record DatabasePart(Database database) {

  static DatabasePart start(Settings settings, OwnedParts parts) {
    // why not stopped at JVM exit: the node closes its parts in reverse, so the database it owns
    // stops last, after the drain has released what it could not finish.
    DatabaseAddress address = settings.dbUrl()
        .map(url -> new DatabaseAddress(url, settings.dbUser(), settings.dbPassword()))
        .orElseGet(() -> parts.own(EmbeddedPostgresServer.start(settings.dataDir(), false)).address());
    Database database = parts.own(Database.connect(address, settings.poolSize()));
    database.migrate();
    DurabilityCheck.require(database.jdbi(), settings.allowUnsafeDurability());
    return new DatabasePart(database);
  }

  Jdbi jdbi() {
    return database.jdbi();
  }

  DatabaseAddress address() {
    return database.address();
  }
}
