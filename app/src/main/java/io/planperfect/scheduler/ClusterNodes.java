package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** This node's row in cluster_nodes: written at start, refreshed while it runs, removed when it stops. */
public final class ClusterNodes {
  private final Jdbi jdbi;
  private final String nodeId;
  private final String host;
  private final ObjectNode roles;

  public ClusterNodes(Jdbi jdbi, ObjectNode roles) {
    this.jdbi = jdbi;
    this.host = hostName();
    this.nodeId = host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    this.roles = roles;
  }

  public String nodeId() {
    return nodeId;
  }

  /** Inserts or refreshes this node's row. */
  public void beat() {
    jdbi.useHandle(h -> h.createUpdate("""
            insert into cluster_nodes (node_id, host, pid, roles, started_at, last_seen_at)
            values (:node, :host, :pid, cast(:roles as jsonb), clock_timestamp(), clock_timestamp())
            on conflict (node_id) do update set last_seen_at = clock_timestamp()""")
        .bind("node", nodeId).bind("host", host).bind("pid", ProcessHandle.current().pid())
        .bind("roles", Json.write(roles))
        .execute());
  }

  public void remove() {
    jdbi.useHandle(h -> h.createUpdate("delete from cluster_nodes where node_id = :node").bind("node", nodeId).execute());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }
}
