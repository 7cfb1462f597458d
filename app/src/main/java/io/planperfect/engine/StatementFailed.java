package io.planperfect.engine;

import java.sql.SQLException;

/** A hot-path call bound by plain JDBC ({@link HotStatement}) failed in the database; says which call and for what. */
public final class StatementFailed extends RuntimeException {
  StatementFailed(String context, SQLException cause) {
    super(context + ": " + cause.getMessage(), cause);
  }
}
