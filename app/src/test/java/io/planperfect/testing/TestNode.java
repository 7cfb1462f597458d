package io.planperfect.testing;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real node (HTTP on a free port, workers) against the test database. */
public final class TestNode {
  public static final String SERVICE_KEY = "test-service-key-0123456789";
  public static final String ANON_KEY = "test-anon-key-0123456789";

  private TestNode() {}

  public static Settings settings() {
    return settings(Map.of());
  }

  /** Test settings with extra environment variables on top (same names as in production). */
  public static Settings settings(Map<String, String> extra) {
    try {
      var address = TestDatabase.address();
      Map<String, String> env = new java.util.HashMap<>(Map.of(
              "PLANPERFECT_POLL_MILLIS", "200",
              "CONTENT_STAGE_RETRY_DELAY_SECONDS", "0.05",
              "PLANPERFECT_SHUTDOWN_GRACE_SECONDS", "2",
              // why: scheduled maintenance (the sweeper every 15 minutes) must not act in the middle of
              // another behaviour's test; the scheduler's own tests switch it on.
              "PLANPERFECT_SCHEDULER", "false",
              // why: the test server runs with fsync off for speed; production nodes refuse that.
              "PLANPERFECT_ALLOW_UNSAFE_DURABILITY", "true"));
      env.putAll(extra);
      return Settings.fromEnvironment(env)
          .withDataDir(Files.createTempDirectory("pp-node"))
          .withDatabase(address.jdbcUrl(), address.user(), address.password())
          .withListen("127.0.0.1", 0)
          .withKeys(SERVICE_KEY, ANON_KEY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PlanPerfectNode start(PipelineRegistry pipelines) {
    return start(pipelines, UnaryOperator.identity());
  }

  public static PlanPerfectNode start(PipelineRegistry pipelines, Map<String, String> env) {
    return PlanPerfectNode.start(settings(env), pipelines);
  }

  public static PlanPerfectNode start(PipelineRegistry pipelines, UnaryOperator<Settings> adjust) {
    return PlanPerfectNode.start(adjust.apply(settings()), pipelines);
  }

  public static Duration retryDelay() {
    return settings().retryBaseDelay();
  }
}
