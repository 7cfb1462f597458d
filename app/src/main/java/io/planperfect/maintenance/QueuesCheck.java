package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.maintenance.HealthChecks.Finding;
import io.planperfect.maintenance.HealthChecks.HealthCheck;
import io.planperfect.maintenance.QueueDepth.StageDepth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Depth and the longest ready wait per queue; degraded when a ready message has waited longer
 * than the old-message threshold, unhealthy beyond four times it (the monitor's critical level).
 */
final class QueuesCheck implements HealthCheck {
  private final Duration oldestReadyMax;

  QueuesCheck(Duration oldestReadyMax) {
    this.oldestReadyMax = oldestReadyMax;
  }

  @Override
  public String component() {
    return "queues";
  }

  @Override
  public Finding check(Handle h) {
    Map<String, List<StageDepth>> byQueue = QueueDepth.byStage(h).stream()
        .collect(Collectors.groupingBy(StageDepth::queue, TreeMap::new, Collectors.toList()));
    ObjectNode queues = Json.object();
    double longestWait = 0;
    for (Map.Entry<String, List<StageDepth>> queue : byQueue.entrySet()) {
      double wait = queue.getValue().stream().mapToDouble(StageDepth::waitSeconds).max().orElse(0);
      longestWait = Math.max(longestWait, wait);
      queues.set(queue.getKey(), summary(queue.getValue(), wait));
    }
    ObjectNode details = Json.object().put("threshold_seconds", oldestReadyMax.toSeconds());
    details.set("queues", queues);
    return new Finding(status(longestWait), details);
  }

  private HealthStatus status(double longestWaitSeconds) {
    long threshold = oldestReadyMax.toSeconds();
    if (longestWaitSeconds > threshold * Monitor.CRITICAL_WAIT_FACTOR) {
      return HealthStatus.UNHEALTHY;
    }
    return longestWaitSeconds > threshold ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
  }

  private static ObjectNode summary(List<StageDepth> stages, double waitSeconds) {
    return Json.object()
        .put("ready", stages.stream().mapToLong(StageDepth::ready).sum())
        .put("in_flight", stages.stream().mapToLong(StageDepth::inFlight).sum())
        .put("delayed", stages.stream().mapToLong(StageDepth::delayed).sum())
        .put("oldest_ready_wait_seconds", Math.round(waitSeconds));
  }
}
