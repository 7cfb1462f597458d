package io.planperfect.maintenance;

import java.time.Duration;

/**
 * What cleanup removes from one table: rows matching {@code condition} and older than
 * {@code age}, in batches of at most {@code :batch} rows, locked rows skipped. The condition is
 * plain SQL over the table's own columns with an {@code :age} parameter (seconds).
 */
record RetentionRule(String table, String key, String condition, Duration age) {

  /** One batch: deletes up to {@code :batch} matching rows and selects how many it deleted. */
  String batchDelete() {
    if (table.equals("queue_archive")) {
      // why: a queue's total of messages ever sent counts live, archived and removed messages;
      // archived rows deleted here move to the removed count so that total does not shrink.
      return """
          with deleted as (
            delete from queue_archive where msg_id in (
              select msg_id from queue_archive where %s limit :batch for update skip locked)
            returning queue_name),
          moved as (
            update queues q set removed_count = q.removed_count + d.n
              from (select queue_name, count(*) as n from deleted group by queue_name) d
             where q.queue_name = d.queue_name)
          select count(*) from deleted""".formatted(condition);
    }
    return """
        with deleted as (
          delete from %1$s where %2$s in (
            select %2$s from %1$s where %3$s limit :batch for update skip locked)
          returning 1)
        select count(*) from deleted""".formatted(table, key, condition);
  }
}
