package io.planperfect.faults;

import io.planperfect.db.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A durable PostgreSQL (fsync and synchronous_commit on, as in production) of the test's own, on
 * a fixed port and data dir, that the test can crash and start again. Two crashes: SIGQUIT to the
 * postmaster — what {@code pg_ctl stop -m immediate} sends: every process stops at once, without
 * a checkpoint, and the next start runs crash recovery; and SIGKILL of one client backend, after
 * which the postmaster itself ends every other backend and runs crash recovery, no restart needed.
 */
final class CrashablePostgres implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final Map<String, String> config;
  private EmbeddedPostgres server;

  private CrashablePostgres(Path dataDir, int port, Map<String, String> config) {
    this.dataDir = dataDir;
    this.port = port;
    this.config = config;
  }

  static CrashablePostgres create() throws Exception {
    return create(Map.of());
  }

  /** With server settings on top of the durable ones (a negative control switches one off). */
  static CrashablePostgres create(Map<String, String> config) throws Exception {
    CrashablePostgres postgres = new CrashablePostgres(Files.createTempDirectory("pp-crash").resolve("pg"), freePort(), config);
    postgres.start();
    return postgres;
  }

  DatabaseAddress address() {
    return new DatabaseAddress("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
  }

  void start() throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
        .setPGStartupWait(Duration.ofSeconds(60));
    config.forEach(builder::setServerConfig);
    server = builder.start();
  }

  /**
   * SIGKILL of one client backend of this server, chosen at random; returns its pid. Only a
   * child of this server's postmaster is ever signalled.
   */
  long killBackend() throws Exception {
    long postmaster = postmasterPid();
    long pid;
    try (Connection c = DriverManager.getConnection(address().jdbcUrl(), address().user(), address().password());
         ResultSet rows = c.createStatement().executeQuery("""
             select pid from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()
              order by random() limit 1""")) {
      if (!rows.next()) {
        throw new IllegalStateException("no client backend to kill");
      }
      pid = rows.getLong(1);
    }
    long parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    if (parent != postmaster) {
      throw new IllegalStateException("pid " + pid + " is not a backend of this server (parent " + parent + ")");
    }
    new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
    return pid;
  }

  /** SIGQUIT to the postmaster (immediate shutdown), wait until it is gone, and release the data dir. */
  void crash() throws Exception {
    long pid = postmasterPid();
    new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      // why: the server is already gone; closing only releases the embedded library's lock on the data dir.
    }
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
