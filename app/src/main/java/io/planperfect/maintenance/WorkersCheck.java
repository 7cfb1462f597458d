package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.planperfect.json.Json;
import io.planperfect.maintenance.HealthChecks.Finding;
import io.planperfect.maintenance.HealthChecks.HealthCheck;
import org.jdbi.v3.core.Handle;

/**
 * Live nodes: those in cluster_nodes seen within {@value #LIVE_SECONDS} seconds (every running
 * node refreshes its row every few seconds). Unhealthy when none is live.
 */
final class WorkersCheck implements HealthCheck {
  static final int LIVE_SECONDS = 30;

  private static final String NODES = """
      select node_id, host, roles::text as roles,
             extract(epoch from now() - last_seen_at)::double precision as seen_seconds_ago,
             last_seen_at > now() - make_interval(secs => :live) as live
        from cluster_nodes order by node_id""";

  @Override
  public String component() {
    return "workers";
  }

  @Override
  public Finding check(Handle h) {
    ArrayNode nodes = Json.MAPPER.createArrayNode();
    int live = 0;
    for (var row : h.createQuery(NODES).bind("live", LIVE_SECONDS).mapToMap().list()) {
      boolean isLive = (Boolean) row.get("live");
      live += isLive ? 1 : 0;
      nodes.addObject().put("node_id", (String) row.get("node_id")).put("host", (String) row.get("host"))
          .put("live", isLive).put("seen_seconds_ago", Math.round((Double) row.get("seen_seconds_ago")))
          .set("roles", Json.read((String) row.get("roles")));
    }
    var details = Json.object().put("live_nodes", live).put("known_nodes", nodes.size()).put("live_within_seconds", LIVE_SECONDS);
    details.set("nodes", nodes);
    return new Finding(live == 0 ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY, details);
  }
}
