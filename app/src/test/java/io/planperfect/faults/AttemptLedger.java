package io.planperfect.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The attempt ledger: every stage execution's start and end, written from inside the stage on
 * its own autocommit connection, so a row survives the engine's rollbacks and the JVM's death
 * (a run killed mid-stage keeps {@code finished_at} null). Counts real executions.
 */
final class AttemptLedger implements AutoCloseable {
  static final String DDL = """
      create table if not exists fault_attempts (
          id          bigserial primary key,
          job_id      uuid        not null,
          stage       text        not null,
          attempt     integer     not null,
          pid         bigint      not null,
          started_at  timestamptz not null default clock_timestamp(),
          finished_at timestamptz);
      create table if not exists fault_intake (job_id uuid primary key, accepted_at timestamptz not null default clock_timestamp());
      """;

  private final Connection connection;
  private final long pid = ProcessHandle.current().pid();

  AttemptLedger(String url, String user, String password) throws SQLException {
    connection = DriverManager.getConnection(url, user, password);
    connection.setAutoCommit(true);
  }

  synchronized long started(UUID job, String stage, int attempt) {
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into fault_attempts (job_id, stage, attempt, pid) values (?, ?, ?, ?) returning id")) {
      insert.setObject(1, job);
      insert.setString(2, stage);
      insert.setInt(3, attempt);
      insert.setLong(4, pid);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("attempt ledger write failed", e);
    }
  }

  synchronized void finished(long id) {
    try (PreparedStatement update = connection.prepareStatement(
        "update fault_attempts set finished_at = clock_timestamp() where id = ?")) {
      update.setLong(1, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("attempt ledger write failed", e);
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    connection.close();
  }
}
