package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.Optional;

/** The {@code --db-url}, {@code --db-user} and {@code --db-password} options every harness takes: a PostgreSQL of the user's instead of the embedded one. */
final class DatabaseOptions {
  private String url;
  private String user = "postgres";
  private String password = "";

  /** Takes the option when it is one of the three; false for any other. */
  boolean accept(String name, String value) {
    switch (name) {
      case "--db-url" -> url = value;
      case "--db-user" -> user = value;
      case "--db-password" -> password = value;
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The database named by {@code --db-url}; empty when none was given. */
  Optional<DatabaseAddress> address() {
    return url == null ? Optional.empty() : Optional.of(new DatabaseAddress(url, user, password));
  }
}
