package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import org.jdbi.v3.core.Jdbi;

/**
 * Seed 004's getQueueStatus for any queue: pending (waiting messages, ready or delayed), processing
 * (claimed and within their visibility), the waiting ones by priority band (high, normal, low),
 * total, and maxConcurrency (the sum of the queue's enabled stages' limits: how many may run at once).
 */
public final class QueueStatus {
  private final Jdbi jdbi;

  public QueueStatus(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public ObjectNode status(String queue) {
    return jdbi.withHandle(h -> (ObjectNode) Json.read(h.createQuery("""
            with m as (
              select count(*) filter (where lease is null or vt <= now()) as pending,
                     count(*) filter (where lease is not null and vt > now()) as processing,
                     count(*) filter (where (lease is null or vt <= now()) and priority_label(priority) = 'HIGH') as high,
                     count(*) filter (where (lease is null or vt <= now()) and priority_label(priority) = 'NORMAL') as normal,
                     count(*) filter (where (lease is null or vt <= now()) and priority_label(priority) = 'LOW') as low
                from queue_messages where queue_name = :queue),
            c as (
              select coalesce(sum(max_concurrency) filter (where enabled), 0) as max_concurrency,
                     coalesce(jsonb_object_agg(stage, max_concurrency), '{}') as stages
                from content_stage_config where queue = :queue)
            select jsonb_build_object('queue', :queue, 'pending', m.pending, 'processing', m.processing, 'high', m.high,
                                      'normal', m.normal, 'low', m.low, 'total', m.pending + m.processing,
                                      'maxConcurrency', c.max_concurrency, 'stageConcurrency', c.stages,
                                      'priorityAgingSeconds', (select priority_aging_seconds from queues where queue_name = :queue))::text
              from m, c""").bind("queue", queue).mapTo(String.class).one()));
  }
}
