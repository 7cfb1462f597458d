package io.planperfect.maintenance;

import java.time.Duration;

/**
 * What cleanup removes from one table: rows matching {@code condition} and older than
 * {@code age}, in batches of at most {@code :batch} rows, locked rows skipped. The condition is
 * plain SQL over the table's own columns with an {@code :age} parameter (seconds).
 *
 * <p>A rule with a {@code walkKey} (an indexed, ever-growing key such as job_events.seq) is for a
 * table that grows with every transition: cleanup reads it in key order, {@code :batch} rows at
 * a time after the last key of the previous batch, deletes the ones that match and stops at the
 * first batch with no row whose {@code agedColumn} is past retention. Each batch is one index
 * range, whatever was kept or deleted before it; without a walk key every batch searched from the
 * table's start again, through the rows earlier batches kept (the trail of unfinished jobs) or had
 * just deleted (dead until vacuumed), so a run's time grew faster than the table's old rows.
 */
record RetentionRule(String table, String key, String condition, Duration age, String walkKey, String agedColumn) {

  /** A rule for a small table: each batch searches the table for matching rows. */
  RetentionRule(String table, String key, String condition, Duration age) {
    this(table, key, condition, age, null, null);
  }

  /** A rule walked in {@code walkKey} order; {@code agedColumn} is the timestamp compared with the retention age. */
  static RetentionRule walked(String table, String walkKey, String agedColumn, String condition, Duration age) {
    return new RetentionRule(table, walkKey, condition, age, walkKey, agedColumn);
  }

  boolean walked() {
    return walkKey != null;
  }

  /** One batch: deletes up to {@code :batch} matching rows and selects how many it deleted. */
  String batchDelete() {
    if (table.equals("queue_archive")) {
      return """
          with deleted as (
            delete from queue_archive where msg_id in (
              select msg_id from queue_archive where %s limit :batch for update skip locked)
            returning queue_name)
          """.formatted(condition) + MOVED + "select count(*) from deleted";
    }
    return """
        with deleted as (
          delete from %1$s where %2$s in (
            select %2$s from %1$s where %3$s limit :batch for update skip locked)
          returning 1)
        select count(*) from deleted""".formatted(table, key, condition);
  }

  /**
   * One batch of a walked rule: the {@code :batch} rows after key {@code :after}, of which those
   * matching are deleted (locked ones skipped); selects {@code deleted}, the batch's {@code last}
   * key (null: no row left) and {@code any_old} (whether any of its rows was past retention).
   */
  String walkBatch() {
    String page = """
        with page as (
          select %2$s as k, %3$s < now() - make_interval(secs => :age) as old
            from %1$s where %2$s > :after order by %2$s limit :batch),
        deleted as (
          delete from %1$s where %2$s in (
            select %2$s from %1$s where %2$s in (select k from page where old) and %4$s for update skip locked)
          returning %5$s)
        """.formatted(table, walkKey, agedColumn, condition, table.equals("queue_archive") ? "queue_name" : "1");
    String moved = table.equals("queue_archive") ? MOVED : "";
    return page + moved + """
        select (select count(*) from deleted) as deleted, (select max(k) from page) as last,
               coalesce((select bool_or(old) from page), false) as any_old""";
  }

  // why: a queue's total of messages ever sent counts live, archived and removed messages;
  // archived rows deleted here move to the removed count so that total does not shrink.
  private static final String MOVED = """
      , moved as (
        update queues q set removed_count = q.removed_count + d.n
          from (select queue_name, count(*) as n from deleted group by queue_name) d
         where q.queue_name = d.queue_name)
      """;
}
