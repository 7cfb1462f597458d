package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * This node's row in cluster_nodes: written at start, refreshed every few seconds on a thread of
 * its own (so a busy scheduler loop cannot make a live node look dead), removed when it stops.
 * The health job counts live nodes; the scheduler uses liveness to abandon the runs of dead ones.
 */
public final class ClusterNodes implements AutoCloseable {
  public static final Duration BEAT_INTERVAL = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);
  private final Jdbi jdbi;
  private final String nodeId;
  private final String host;
  private final ObjectNode roles;
  private final ScheduledExecutorService beater = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "pp-node-beat");
    thread.setDaemon(true);
    return thread;
  });

  private volatile long lastBeatNanos = System.nanoTime();

  public ClusterNodes(Jdbi jdbi, ObjectNode roles) {
    this(jdbi, newNodeId(), roles);
  }

  /** With a node id made beforehand ({@link #newNodeId()}), so the node's logs and metrics carry the same one. */
  public ClusterNodes(Jdbi jdbi, String nodeId, ObjectNode roles) {
    this.jdbi = jdbi;
    this.host = hostName();
    this.nodeId = nodeId;
    this.roles = roles;
  }

  /** "host:pid:random8": unique per process start. */
  public static String newNodeId() {
    return hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Beats now (failing loudly if the database is unreachable) and every few seconds from now on. */
  public ClusterNodes start() {
    beat();
    lastBeatNanos = System.nanoTime();
    beater.scheduleWithFixedDelay(this::beatQuietly, BEAT_INTERVAL.toMillis(), BEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void beatQuietly() {
    try {
      beat();
      lastBeatNanos = System.nanoTime();
    } catch (RuntimeException e) {
      log.warn("could not refresh this node in cluster_nodes: {}", e.getMessage());
    }
  }

  /** How long ago this node's row was last refreshed (every {@link #BEAT_INTERVAL}); grows while beats fail. */
  public Duration sinceLastBeat() {
    return beater.isShutdown() ? java.time.temporal.ChronoUnit.FOREVER.getDuration()
        : Duration.ofNanos(System.nanoTime() - lastBeatNanos);
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

  /** Stops beating and removes this node's row. */
  @Override
  public void close() {
    beater.shutdownNow();
    try {
      jdbi.useHandle(h -> h.createUpdate("delete from cluster_nodes where node_id = :node").bind("node", nodeId).execute());
    } catch (RuntimeException e) {
      log.warn("could not remove this node from cluster_nodes: {}", e.getMessage());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }
}
