package io.planperfect.maintenance;

import java.time.Duration;

/**
 * What cleanup removes from one table: rows matching {@code condition} and older than
 * {@code age}, in batches of at most {@code :batch} rows, locked rows skipped. The condition is
 * plain SQL over the table's own columns with an {@code :age} parameter (seconds).
 */
record RetentionRule(String table, String key, String condition, Duration age) {

  /** One batch: deletes up to {@code :batch} matching rows and returns how many it deleted. */
  String batchDelete() {
    return """
        delete from %1$s where %2$s in (
          select %2$s from %1$s where %3$s limit :batch for update skip locked)"""
        .formatted(table, key, condition);
  }
}
