package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import io.planperfect.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The PostgreSQL a benchmark runs against: the one given on the command line, or a durable
 * embedded server (fsync, synchronous_commit, full_page_writes on) in a temp dir deleted on close.
 */
final class BenchServer implements AutoCloseable {
  private final DatabaseAddress address;
  private final EmbeddedPostgresServer embedded;
  private final Path tempDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BenchServer(DatabaseAddress address, EmbeddedPostgresServer embedded, Path tempDir) {
    this.address = address;
    this.embedded = embedded;
    this.tempDir = tempDir;
  }

  static BenchServer external(DatabaseAddress address) {
    return new BenchServer(address, null, null);
  }

  static BenchServer embedded() {
    try {
      Path dir = Files.createTempDirectory("planperfect-bench-");
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir);
      return new BenchServer(server.address(), server, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp dir for the embedded PostgreSQL", e);
    }
  }

  /**
   * A durable embedded server with pg_stat_statements loaded (it must be preloaded, so the server
   * is started, configured and started again in the same temp dir), for {@link CostHarness}.
   */
  static BenchServer embeddedWithStatementStats() {
    try {
      Path dir = Files.createTempDirectory("planperfect-bench-");
      EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir);
      try (Connection connection = DriverManager.getConnection(first.address().jdbcUrl(), "postgres", "postgres");
           Statement statement = connection.createStatement()) {
        statement.execute("alter system set shared_preload_libraries = 'pg_stat_statements'");
      } catch (SQLException e) {
        throw new IllegalStateException("could not configure pg_stat_statements", e);
      }
      first.close();
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir);
      return new BenchServer(server.address(), server, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp dir for the embedded PostgreSQL", e);
    }
  }

  static BenchServer of(Optional<DatabaseAddress> given) {
    return given.map(BenchServer::external).orElseGet(BenchServer::embedded);
  }

  DatabaseAddress address() {
    return address;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    // why: called by try-with-resources and again by the shutdown hook that covers Ctrl-C.
    if (embedded == null || !closed.compareAndSet(false, true)) {
      return;
    }
    embedded.close();
    deleteRecursively(tempDir);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
