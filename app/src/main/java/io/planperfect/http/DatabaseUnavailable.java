package io.planperfect.http;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Recognises failures that mean "the database cannot be reached now" (answered with 503). */
final class DatabaseUnavailable {
  private DatabaseUnavailable() {}

  static boolean is(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }
}
