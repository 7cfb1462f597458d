package io.planperfect.queue;

import io.planperfect.db.DatabaseAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the {@code planperfect_work} channel over a dedicated connection (never a pooled
 * one) and turns each notification into a local wake-up. Notifications are only hints: the
 * claim loops poll as well, so a lost connection delays work but never loses it. The loop
 * reconnects by itself and wakes every stage after a reconnect, in case it missed something.
 */
public final class NotificationListener implements AutoCloseable {
  public static final String CHANNEL = "planperfect_work";
  /** The listening connection's only statement: {@link WorkAnnouncer} counts listeners by it in pg_stat_activity. */
  static final String LISTEN = "listen " + CHANNEL;
  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
  private static final int RECEIVE_TIMEOUT_MILLIS = 500;
  private static final long RECONNECT_DELAY_MILLIS = 1_000;

  private final DatabaseAddress address;
  private final WorkSignals signals;
  private final Thread thread;
  private volatile boolean running = true;
  // when the listening connection last answered (System.nanoTime), for the node's readiness
  private volatile long lastAnswerNanos = System.nanoTime();

  public NotificationListener(DatabaseAddress address, WorkSignals signals) {
    this.address = address;
    this.signals = signals;
    this.thread = new Thread(this::run, "pp-listen");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try (Connection connection = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password())) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(LISTEN);
        }
        signals.listening(true);
        signals.signalAll();
        receive(connection.unwrap(PGConnection.class));
      } catch (SQLException e) {
        signals.listening(false);
        if (running) {
          log.warn("notification connection lost, polling until it is back: {}", e.getMessage());
          pause();
        }
      }
    }
  }

  private void receive(PGConnection connection) throws SQLException {
    while (running) {
      PGNotification[] notifications = connection.getNotifications(RECEIVE_TIMEOUT_MILLIS);
      lastAnswerNanos = System.nanoTime();
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          signals.signalKey(notification.getParameter());
        }
      }
    }
  }

  /**
   * How long ago the listening connection last answered (it is asked every half second); grows while
   * the connection is lost or the thread is gone.
   */
  public java.time.Duration sinceLastAnswer() {
    return thread.isAlive() ? java.time.Duration.ofNanos(System.nanoTime() - lastAnswerNanos)
        : java.time.temporal.ChronoUnit.FOREVER.getDuration();
  }

  private void pause() {
    try {
      Thread.sleep(RECONNECT_DELAY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    signals.listening(false);
    thread.interrupt();
  }
}
