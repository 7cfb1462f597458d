package io.planperfect.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A PostgreSQL server started from the binaries pinned in the build, keeping its data under
 * {@code <dataDir>/postgres} so jobs survive a restart. Unlike the library's test defaults,
 * it runs with fsync, synchronous_commit and full_page_writes on.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Map<String, String> DURABLE = Map.of(
      "fsync", "on",
      "synchronous_commit", "on",
      "full_page_writes", "on",
      "max_connections", "200");

  private final EmbeddedPostgres postgres;
  private final Path portFile;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path portFile) {
    this.postgres = postgres;
    this.portFile = portFile;
  }

  /** Starts the server, stopped at JVM exit by the library's own shutdown hook. */
  public static EmbeddedPostgresServer start(Path dataDir) {
    return start(dataDir, true);
  }

  /**
   * Starts the server. {@code stopAtJvmExit} false leaves stopping it to the caller's {@link #close()}:
   * a node draining on SIGTERM needs its database until the drain is done, and JVM shutdown hooks
   * run in no particular order, so the library's hook would stop it mid-drain.
   */
  public static EmbeddedPostgresServer start(Path dataDir, boolean stopAtJvmExit) {
    Path pgData = dataDir.resolve("postgres");
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(stopAtJvmExit)
          .setPGStartupWait(Duration.ofSeconds(60));
      DURABLE.forEach(builder::setServerConfig);
      EmbeddedPostgres postgres = builder.start();
      Path portFile = dataDir.resolve("postgres.port");
      Files.writeString(portFile, Integer.toString(postgres.getPort()));
      return new EmbeddedPostgresServer(postgres, portFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + pgData, e);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("could not lock")) {
        throw new IllegalStateException("the data dir " + dataDir + " is in use by another PlanPerfect process "
            + "(stop it, or pass another --data-dir)", e);
      }
      throw e;
    }
  }

  public DatabaseAddress address() {
    return localAddress(postgres.getPort());
  }

  /** The address of an embedded server listening on this port (user postgres, db postgres). */
  public static DatabaseAddress localAddress(int port) {
    return new DatabaseAddress("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(portFile);
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
    }
  }
}
