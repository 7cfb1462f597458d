package io.planperfect.cli;

import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database a command talks to, as serve would: PLANPERFECT_DB_URL when set; otherwise the
 * embedded server of the data dir, either the one a running serve started (its port is in
 * {@code postgres.port}) or one started here for the length of the command.
 */
final class DatabaseConnection implements AutoCloseable {
  private final DatabaseAddress address;
  private final EmbeddedPostgresServer startedHere;

  private DatabaseConnection(DatabaseAddress address, EmbeddedPostgresServer startedHere) {
    this.address = address;
    this.startedHere = startedHere;
  }

  static DatabaseConnection open(Settings settings) {
    if (settings.dbUrl().isPresent()) {
      return new DatabaseConnection(new DatabaseAddress(settings.dbUrl().get(), settings.dbUser(), settings.dbPassword()), null);
    }
    Optional<DatabaseAddress> running = runningEmbedded(settings);
    if (running.isPresent()) {
      return new DatabaseConnection(running.get(), null);
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings.dataDir());
    return new DatabaseConnection(server.address(), server);
  }

  /** The embedded database a serve on this data dir is running, if any. */
  static Optional<DatabaseAddress> runningEmbedded(Settings settings) {
    Path portFile = settings.dataDir().resolve("postgres.port");
    if (Files.exists(portFile) && listening(readPort(portFile))) {
      return Optional.of(EmbeddedPostgresServer.localAddress(readPort(portFile)));
    }
    return Optional.empty();
  }

  DatabaseAddress address() {
    return address;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int readPort(Path portFile) {
    try {
      return Integer.parseInt(Files.readString(portFile).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + portFile, e);
    }
  }

  @Override
  public void close() {
    if (startedHere != null) {
      startedHere.close();
    }
  }
}
