package io.planperfect.engine;

import java.time.Duration;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A read that gives up after a time: PostgreSQL's {@code statement_timeout}, set for the read's own
 * transaction only ({@code set_config(..., true)}), so the pooled connection keeps its default. A read
 * that times out throws (SQLSTATE 57014, query_canceled).
 */
final class BoundedReads {
  private BoundedReads() {}

  static <T> T within(Jdbi jdbi, Duration timeout, Function<Handle, T> read) {
    return jdbi.inTransaction(h -> {
      h.createQuery("select set_config('statement_timeout', :ms, true)")
          .bind("ms", Long.toString(Math.max(1, timeout.toMillis()))).mapTo(String.class).one();
      return read.apply(h);
    });
  }
}
