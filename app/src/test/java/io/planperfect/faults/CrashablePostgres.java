package io.planperfect.faults;

import io.planperfect.db.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A durable PostgreSQL (fsync and synchronous_commit on, as in production) of the test's own, on
 * a fixed port and data dir, that the test can crash and start again. A crash is SIGQUIT to the
 * postmaster — what {@code pg_ctl stop -m immediate} sends: every process stops at once, without
 * a checkpoint, and the next start runs crash recovery.
 */
final class CrashablePostgres implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server;

  private CrashablePostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  static CrashablePostgres create() throws Exception {
    CrashablePostgres postgres = new CrashablePostgres(Files.createTempDirectory("pp-crash").resolve("pg"), freePort());
    postgres.start();
    return postgres;
  }

  DatabaseAddress address() {
    return new DatabaseAddress("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
  }

  void start() throws IOException {
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
  }

  /** SIGQUIT to the postmaster (immediate shutdown), wait until it is gone, and release the data dir. */
  void crash() throws Exception {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      // why: the server is already gone; closing only releases the embedded library's lock on the data dir.
    }
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
