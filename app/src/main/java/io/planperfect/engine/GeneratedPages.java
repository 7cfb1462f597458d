package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reads of the generated_pages view (R__generation.sql): a page's id is its generation job's id. */
public final class GeneratedPages {
  private final Jdbi jdbi;

  public GeneratedPages(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<ObjectNode> page(UUID id) {
    return jdbi.withHandle(h -> h.createQuery("select to_jsonb(p)::text from generated_pages p where p.id = :id")
        .bind("id", id).mapTo(String.class).findOne().map(text -> (ObjectNode) Json.read(text)));
  }

  /** Pages newest first, of one batch when given, without their markdown and HTML bodies. */
  public ArrayNode list(Optional<UUID> batchId, int limit, int offset) {
    return jdbi.withHandle(h -> (ArrayNode) Json.read(h.createQuery("""
            select coalesce(jsonb_agg(to_jsonb(p) - 'markdown' - 'html' order by p.stored_at desc, p.id), '[]')::text
              from (select * from generated_pages
                     where cast(:batch as uuid) is null or batch_id = cast(:batch as uuid)
                     order by stored_at desc, id limit :limit offset :offset) p""")
        .bind("batch", batchId.orElse(null)).bind("limit", limit).bind("offset", offset).mapTo(String.class).one()));
  }
}
