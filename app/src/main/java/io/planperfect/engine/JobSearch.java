package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The job list: filtered by pipeline, status, current stage, priority, batch, creation time and text
 * in the payload's title or url; newest first, a page at a time. The cursor is the last row's
 * (created_at, id), so a page never repeats or skips a job when new ones arrive.
 */
public final class JobSearch {
  public static final int MAX_PAGE = 200;

  /** What to list; empty fields do not filter. */
  public record Filter(Optional<String> pipeline, Optional<String> status, Optional<String> stage,
      Optional<Integer> priority, Optional<String> text, Optional<Instant> createdAfter, Optional<UUID> batch) {
    public static Filter none() {
      return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty());
    }
  }

  /** One page: its jobs (each with progress), and the cursor of the next page when there may be one. */
  public record Page(ArrayNode jobs, Optional<String> nextCursor) {}

  /** A cursor that is not one this class made. */
  public static final class BadCursor extends IllegalArgumentException {
    BadCursor() {
      super("cursor is not one a previous page returned");
    }
  }

  // why a btree on (created_at desc, id desc) (V051): newest first with the cursor's row comparison is an
  // index scan from the cursor on, whatever the table's size; the filters are checked on the rows it reads
  private static final String PAGE = """
            select coalesce(jsonb_agg(r order by r.created_at desc, r.id desc), '[]'::jsonb)::text from (
              select j.id, j.pipeline, j.job_type, j.status, j.stage, j.priority, j.created_at, j.updated_at,
                     coalesce(j.payload->>'title', j.payload->>'url', '') as title, j.payload->>'url' as url,
                     s.total as stages_total, s.done as stages_done,
                     case when s.total = 0 then 100 else round(100.0 * s.done / s.total) end as percent
                from jobs j
                cross join lateral (
                  select count(*) as total, count(*) filter (where st.status in ('completed', 'skipped')) as done
                    from job_stages st where st.job_id = j.id) s
               where (cast(:pipeline as text) is null or j.pipeline = cast(:pipeline as text))
                 and (cast(:status as text) is null or j.status = cast(:status as text))
                 and (cast(:stage as text) is null or j.stage = cast(:stage as text))
                 and (cast(:priority as integer) is null or j.priority = cast(:priority as integer))
                 and (cast(:batch as uuid) is null or j.batch_id = cast(:batch as uuid))
                 and (cast(:after as timestamptz) is null or j.created_at > cast(:after as timestamptz))
                 and (cast(:text as text) is null
                      or strpos(lower(coalesce(j.payload->>'title', '')), lower(cast(:text as text))) > 0
                      or strpos(lower(coalesce(j.payload->>'url', '')), lower(cast(:text as text))) > 0)
                 and (cast(:cursorAt as timestamptz) is null
                      or (j.created_at, j.id) < (cast(:cursorAt as timestamptz), cast(:cursorId as uuid)))
               order by j.created_at desc, j.id desc
               limit :limit) r""";

  private final Jdbi jdbi;

  public JobSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Page page(Filter filter, Optional<String> cursor, int limit) {
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    Optional<Position> after = cursor.map(JobSearch::decode);
    ArrayNode rows = jdbi.withHandle(h -> (ArrayNode) Json.read(bound(h.createQuery(PAGE), filter, after, size)
        .mapTo(String.class).one()));
    Optional<String> next = Optional.empty();
    if (rows.size() > size) {
      rows.remove(size);
      ObjectNode last = (ObjectNode) rows.get(size - 1);
      next = Optional.of(encode(last.path("created_at").asText(), last.path("id").asText()));
    }
    return new Page(rows, next);
  }

  /** The plan PostgreSQL chooses for one page (a test shows it at a million jobs). */
  String plan(Filter filter, Optional<String> cursor, int limit) {
    Optional<Position> after = cursor.map(JobSearch::decode);
    return jdbi.withHandle(h -> String.join("\n",
        bound(h.createQuery("explain (costs off) " + PAGE), filter, after, Math.max(1, Math.min(limit, MAX_PAGE)))
            .mapTo(String.class).list()));
  }

  private static Query bound(Query query, Filter filter, Optional<Position> after, int size) {
    return query
        .bind("pipeline", filter.pipeline().orElse(null))
        .bind("status", filter.status().orElse(null))
        .bind("stage", filter.stage().orElse(null))
        .bind("priority", filter.priority().orElse(null))
        .bind("text", filter.text().orElse(null))
        .bind("batch", filter.batch().orElse(null))
        .bind("after", filter.createdAfter().map(i -> i.atOffset(java.time.ZoneOffset.UTC)).orElse(null))
        .bind("cursorAt", after.map(Position::createdAt).orElse(null))
        .bind("cursorId", after.map(Position::id).orElse(null))
        .bind("limit", size + 1);
  }

  private record Position(OffsetDateTime createdAt, UUID id) {}

  private static String encode(String createdAt, String id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static Position decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new Position(OffsetDateTime.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw new BadCursor();
    }
  }
}
