package io.planperfect;

import io.planperfect.health.Readiness;
import io.planperfect.metrics.ModelCosts;
import io.planperfect.metrics.NodeMetrics;
import io.planperfect.metrics.SchedulerRunMetrics;
import io.planperfect.metrics.StageDepthGauges;
import io.planperfect.metrics.StageRunMetrics;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.scheduler.ClusterNodes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a node tells about itself, made right after its database so every later part can report to
 * it: the node's id (its logs, its row in {@code cluster_nodes}), the meter registry with the
 * engine's and the scheduler's observers and the database's gauges, and the readiness checks the
 * parts register as they start ({@code /health/ready}).
 */
record ObservabilityPart(String nodeId, NodeMetrics metrics, StageRunMetrics attempts, SchedulerRunMetrics schedulerRuns,
    Readiness readiness) {
  /** How long the migrations' state is kept between probes (Flyway reads the classpath to tell). */
  private static final Duration MIGRATIONS_CHECK_TTL = Duration.ofSeconds(30);
  /** The part that is ready once every part of the node has started. */
  static final String STARTUP = Readiness.STARTUP;

  static ObservabilityPart start(PipelineRegistry pipelines, DatabasePart db, OwnedParts parts) {
    NodeMetrics metrics = parts.own(new NodeMetrics());
    db.database().instrument(metrics.registry());
    new StageDepthGauges(db.jdbi(), pipelines, metrics.registry());
    Readiness readiness = new Readiness();
    // why expected at once: whatever order the parts start in (the HTTP server may bind before the
    // workers), the node is not ready until its assembly has finished
    readiness.expect(STARTUP);
    readiness.watch("database", () -> db.database().answers() ? Optional.empty() : Optional.of("does not answer"));
    readiness.watch("migrations", cachedFor(MIGRATIONS_CHECK_TTL, () -> {
      List<String> pending = db.database().pendingMigrations();
      return pending.isEmpty() ? Optional.empty() : Optional.of("pending: " + String.join(", ", pending));
    }));
    return new ObservabilityPart(ClusterNodes.newNodeId(), metrics,
        new StageRunMetrics(metrics.registry(), new ModelCosts(db.jdbi()), pipelines), new SchedulerRunMetrics(metrics.registry()),
        readiness);
  }

  /** A check whose answer is kept for {@code ttl}: for one that is dear to ask at every probe. */
  private static Readiness.Check cachedFor(Duration ttl, Readiness.Check check) {
    return new Readiness.Check() {
      private Optional<String> last;
      private long askedAt;

      @Override
      public synchronized Optional<String> problem() {
        if (last == null || System.nanoTime() - askedAt > ttl.toNanos()) {
          last = check.problem();
          askedAt = System.nanoTime();
        }
        return last;
      }
    };
  }
}
