package io.planperfect.cli;

import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate}: applies the schema migrations and exits. */
@Command(name = "migrate", description = "Apply the database migrations and exit.")
final class MigrateCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Override
  public Integer call() {
    Settings settings = database.settings();
    try (DatabaseConnection connection = DatabaseConnection.open(settings);
         Database db = Database.connect(connection.address(), 4)) {
      db.migrate();
      System.out.println("Migrations applied to " + connection.address().displayUrl());
    }
    return 0;
  }
}
