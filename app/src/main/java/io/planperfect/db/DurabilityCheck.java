package io.planperfect.db;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Durability is asserted, not assumed: a node refuses to start on a server that could lose
 * committed work (fsync, full_page_writes or synchronous_commit off, or unlogged queue and job
 * tables), unless told to allow it (for tests).
 */
public final class DurabilityCheck {
  private static final List<String> SETTINGS = List.of("fsync", "full_page_writes", "synchronous_commit");
  private static final String UNLOGGED = """
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind = 'r' and c.relpersistence <> 'p'
         and c.relname in ('queue_messages', 'queue_archive', 'stage_slots', 'jobs', 'job_stages',
                           'job_payloads', 'job_events', 'dead_letters')""";

  private DurabilityCheck() {}

  /** The reasons this server is unsafe; empty when it is durable. */
  public static List<String> problems(Jdbi jdbi) {
    List<String> problems = new ArrayList<>();
    jdbi.useHandle(h -> {
      for (String setting : SETTINGS) {
        String value = h.createQuery("select current_setting(:name)").bind("name", setting).mapTo(String.class).one();
        if (!value.equals("on")) {
          problems.add(setting + " is " + value + " (must be on)");
        }
      }
      h.createQuery(UNLOGGED).mapTo(String.class).forEach(table -> problems.add("table " + table + " is not logged"));
    });
    return problems;
  }

  /** Throws with every reason unless the server is durable or unsafe servers are allowed. */
  public static void require(Jdbi jdbi, boolean allowUnsafe) {
    List<String> problems = problems(jdbi);
    if (!problems.isEmpty() && !allowUnsafe) {
      throw new IllegalStateException("refusing to start: the database could lose committed jobs: "
          + String.join("; ", problems) + " (PLANPERFECT_ALLOW_UNSAFE_DURABILITY=true overrides, for tests only)");
    }
  }
}
