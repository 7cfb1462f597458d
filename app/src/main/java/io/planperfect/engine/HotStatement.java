package io.planperfect.engine;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds the arguments of the engine's per-transition calls (complete, claim) straight onto a JDBC
 * prepared statement. why not Jdbi's {@code bind}: each named bind resolves an argument factory by the
 * value's qualified type (a lookup keyed by a set of qualifiers) and the SQL is parsed for its names;
 * on the hot path that was about a third of the node's CPU per transition. The driver keeps the
 * statement prepared on the server after a few uses (pgjdbc's {@code prepareThreshold}), as before.
 */
final class HotStatement {
  private HotStatement() {}

  static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }

  static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }

  static void setText(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }
}
