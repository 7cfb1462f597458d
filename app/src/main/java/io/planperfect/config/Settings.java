package io.planperfect.config;

import io.planperfect.queue.QueueVisibility;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every knob of a node in one place: defaults as named constants, read once from the
 * environment (and command-line flags layered on top by the CLI), validated at start.
 * The README's configuration table lists each of them.
 */
public record Settings(
    String host,
    int port,
    Path dataDir,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    Optional<String> serviceKey,
    Optional<String> anonKey,
    Duration visibilityTimeout,
    int maxAttempts,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    int stageConcurrency,
    Duration pollInterval,
    int poolSize,
    Duration shutdownGrace,
    boolean listen,
    boolean allowUnsafeDurability,
    Duration stageTimeout,
    boolean heartbeats,
    SchedulerSettings scheduler,
    MaintenanceSettings maintenance,
    Map<String, Duration> queueVisibilities,
    CallbackSettings callbacks,
    StreamSettings streams,
    ObservabilitySettings observability,
    RateLimitSettings rateLimits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DATA_DIR = "./data";
  public static final int DEFAULT_VISIBILITY_SECONDS = 600;
  private static final Pattern QUEUE_VISIBILITY = Pattern.compile("[A-Z0-9_]+_QUEUE_VISIBILITY");
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final double DEFAULT_RETRY_DELAY_SECONDS = 60;
  public static final double DEFAULT_RETRY_MAX_DELAY_SECONDS = 3600;
  public static final int DEFAULT_STAGE_CONCURRENCY = 4;
  public static final int DEFAULT_POLL_MILLIS = 1000;
  public static final int DEFAULT_POOL_SIZE = 20;
  public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;
  public static final int DEFAULT_STAGE_TIMEOUT_SECONDS = 600;

  public Settings {
    queueVisibilities = Map.copyOf(queueVisibilities);
    queueVisibilities.forEach((name, value) -> require(value.toMillis() >= 1000, name + " must be at least 1 second"));
    require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    require(maxAttempts >= 1, "CONTENT_STAGE_MAX_ATTEMPTS must be at least 1");
    require(visibilityTimeout.toMillis() >= 1000, "CONTENT_QUEUE_VISIBILITY must be at least 1 second");
    require(!retryBaseDelay.isNegative(), "CONTENT_STAGE_RETRY_DELAY_SECONDS must not be negative");
    require(stageConcurrency >= 1, "PLANPERFECT_STAGE_CONCURRENCY must be at least 1");
    require(pollInterval.toMillis() >= 10, "PLANPERFECT_POLL_MILLIS must be at least 10");
    require(poolSize >= 4, "PLANPERFECT_DB_POOL_SIZE must be at least 4");
    require(stageTimeout.toMillis() >= 100, "CONTENT_STAGE_TIMEOUT_SECONDS must be at least 0.1");
  }

  /** Settings from the environment, with defaults for everything unset. */
  public static Settings fromEnvironment(Map<String, String> env) {
    EnvReader e = new EnvReader(env);
    return new Settings(
        e.text("PLANPERFECT_HOST", DEFAULT_HOST),
        e.integer("PLANPERFECT_PORT", DEFAULT_PORT),
        Path.of(e.text("PLANPERFECT_DATA_DIR", DEFAULT_DATA_DIR)),
        e.optional("PLANPERFECT_DB_URL"),
        e.text("PLANPERFECT_DB_USER", "postgres"),
        e.text("PLANPERFECT_DB_PASSWORD", ""),
        e.optional("PLANPERFECT_SERVICE_KEY"),
        e.optional("PLANPERFECT_ANON_KEY"),
        e.seconds("CONTENT_QUEUE_VISIBILITY", DEFAULT_VISIBILITY_SECONDS),
        e.integer("CONTENT_STAGE_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
        e.seconds("CONTENT_STAGE_RETRY_DELAY_SECONDS", DEFAULT_RETRY_DELAY_SECONDS),
        e.seconds("CONTENT_STAGE_RETRY_MAX_DELAY_SECONDS", DEFAULT_RETRY_MAX_DELAY_SECONDS),
        e.integer("PLANPERFECT_STAGE_CONCURRENCY", DEFAULT_STAGE_CONCURRENCY),
        Duration.ofMillis(e.integer("PLANPERFECT_POLL_MILLIS", DEFAULT_POLL_MILLIS)),
        e.integer("PLANPERFECT_DB_POOL_SIZE", DEFAULT_POOL_SIZE),
        e.seconds("PLANPERFECT_SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE_SECONDS),
        e.bool("PLANPERFECT_LISTEN", true),
        e.bool("PLANPERFECT_ALLOW_UNSAFE_DURABILITY", false),
        e.seconds("CONTENT_STAGE_TIMEOUT_SECONDS", DEFAULT_STAGE_TIMEOUT_SECONDS),
        e.bool("PLANPERFECT_HEARTBEATS", true),
        SchedulerSettings.from(e),
        MaintenanceSettings.fromEnvironment(env),
        queueVisibilities(e, env),
        CallbackSettings.from(e),
        StreamSettings.from(e),
        ObservabilitySettings.from(e),
        RateLimitSettings.from(e));
  }

  public Settings withListen(String newHost, int newPort) {
    return new Settings(newHost, newPort, dataDir, dbUrl, dbUser, dbPassword, serviceKey, anonKey,
        visibilityTimeout, maxAttempts, retryBaseDelay, retryMaxDelay, stageConcurrency,
        pollInterval, poolSize, shutdownGrace, listen, allowUnsafeDurability, stageTimeout, heartbeats, scheduler,
        maintenance, queueVisibilities, callbacks, streams, observability, rateLimits);
  }

  public Settings withDataDir(Path newDataDir) {
    return new Settings(host, port, newDataDir, dbUrl, dbUser, dbPassword, serviceKey, anonKey,
        visibilityTimeout, maxAttempts, retryBaseDelay, retryMaxDelay, stageConcurrency,
        pollInterval, poolSize, shutdownGrace, listen, allowUnsafeDurability, stageTimeout, heartbeats, scheduler,
        maintenance, queueVisibilities, callbacks, streams, observability, rateLimits);
  }

  public Settings withDatabase(String url, String user, String password) {
    return new Settings(host, port, dataDir, Optional.of(url), user, password, serviceKey, anonKey,
        visibilityTimeout, maxAttempts, retryBaseDelay, retryMaxDelay, stageConcurrency,
        pollInterval, poolSize, shutdownGrace, listen, allowUnsafeDurability, stageTimeout, heartbeats, scheduler,
        maintenance, queueVisibilities, callbacks, streams, observability, rateLimits);
  }

  public Settings withKeys(String service, String anon) {
    return new Settings(host, port, dataDir, dbUrl, dbUser, dbPassword, Optional.of(service),
        Optional.of(anon), visibilityTimeout, maxAttempts, retryBaseDelay, retryMaxDelay,
        stageConcurrency, pollInterval, poolSize, shutdownGrace, listen, allowUnsafeDurability, stageTimeout, heartbeats, scheduler,
        maintenance, queueVisibilities, callbacks, streams, observability, rateLimits);
  }

  /**
   * Each queue's visibility: {@code <QUEUE>_QUEUE_VISIBILITY} where set (seed 002's
   * {@code PAGEPERFECT_QUEUE_VISIBILITY}), else {@code CONTENT_QUEUE_VISIBILITY}, the node's default.
   */
  public QueueVisibility visibility() {
    return new QueueVisibility(visibilityTimeout, queueVisibilities);
  }

  private static Map<String, Duration> queueVisibilities(EnvReader reader, Map<String, String> env) {
    Map<String, Duration> byQueue = new TreeMap<>();
    env.keySet().stream().filter(name -> QUEUE_VISIBILITY.matcher(name).matches())
        .forEach(name -> byQueue.put(name, reader.seconds(name, DEFAULT_VISIBILITY_SECONDS)));
    return byQueue;
  }

  /** A one-line description for the start-up log, with secrets masked. */
  public String describe() {
    return ("host=%s port=%d dataDir=%s db=%s visibility=%ss maxAttempts=%d retryDelay=%sms stageConcurrency=%d pool=%d "
        + "listen=%s heartbeats=%s callbacks=%s %s rateLimits=%s")
        .formatted(host, port, dataDir, dbUrl.map(Settings::maskUrl).orElse("embedded"),
            visibilityTimeout.toSeconds(), maxAttempts, retryBaseDelay.toMillis(), stageConcurrency,
            poolSize, listen, heartbeats, callbacks, observability, rateLimits);
  }

  static String maskUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
