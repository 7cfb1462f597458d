package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.planperfect.json.Json;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Sums of the usage ledger ({@code llm_calls}) since a moment, grouped by pipeline, stage, model or UTC day. */
public final class UsageReads {
  /** The groupings {@code GET /api/v1/usage} takes, each the SQL expression it groups by. */
  public static final Map<String, String> GROUPS = Map.of(
      "pipeline", "c.pipeline",
      "stage", "c.pipeline || '/' || c.stage",
      "model", "c.provider || '/' || c.model",
      "day", "to_char(c.created_at at time zone 'utc', 'YYYY-MM-DD')");

  private final Jdbi jdbi;

  public UsageReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One row per group: calls, failed calls, tokens in and out, cost (null when nothing in it was priced). */
  public ArrayNode sums(Instant since, String groupBy) {
    String key = GROUPS.get(groupBy.toLowerCase(Locale.ROOT));
    if (key == null) {
      throw new IllegalArgumentException("unknown grouping " + groupBy);
    }
    // why formatted: the grouping is one of the fixed expressions above, never the caller's text
    String sql = """
        select coalesce(jsonb_agg(g order by g.key), '[]'::jsonb)::text from (
          select %s as key, count(*) as calls, count(*) filter (where c.outcome <> 'ok') as failed_calls,
                 sum(c.input_tokens) as input_tokens, sum(c.output_tokens) as output_tokens,
                 sum(c.cost_usd) as cost_usd
            from llm_calls c where c.created_at >= :since group by 1) g""".formatted(key);
    return (ArrayNode) Json.read(jdbi.withHandle(h -> h.createQuery(sql).bind("since", since)
        .mapTo(String.class).one()));
  }
}
