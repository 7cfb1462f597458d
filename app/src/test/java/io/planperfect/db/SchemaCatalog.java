package io.planperfect.db;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What a migrated database holds, as one line per object: schemas, tables and views (with their
 * storage options), columns (position, type, not null, default, identity), indexes, constraints,
 * view definitions, triggers and functions (their whole definition, body included), and the rows
 * a new database starts with. Flyway's history tables are left out. Two databases built the same
 * way give equal maps.
 */
final class SchemaCatalog {
  private static final String OBJECTS = """
      with ns as (
        select oid, nspname from pg_namespace
         where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
           and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'),
      rel as (
        select c.oid, n.nspname, c.relname, c.relkind, c.reloptions from pg_class c join ns n on n.oid = c.relnamespace
         where c.relname not like '%schema_history%'
           and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e'))
      select 'schema ' || nspname, ''::text from ns
      union all
      select 'relation ' || nspname || '.' || relname, relkind::text || ' ' || coalesce(array_to_string(reloptions, ','), '')
        from rel where relkind in ('r', 'v', 'S', 'p', 'm')
      union all
      select 'column ' || r.nspname || '.' || r.relname || '.' || a.attname,
             row_number() over (partition by r.oid order by a.attnum) || ' ' || format_type(a.atttypid, a.atttypmod)
             || case when a.attnotnull then ' not null' else '' end
             || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
             || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
        from rel r join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where r.relkind in ('r', 'v', 'p', 'm')
      union all
      select 'index ' || r.nspname || '.' || r.relname, pg_get_indexdef(r.oid) from rel r where r.relkind = 'i'
      union all
      select 'constraint ' || r.nspname || '.' || r.relname || '.' || con.conname, pg_get_constraintdef(con.oid)
        from rel r join pg_constraint con on con.conrelid = r.oid
      union all
      select 'view ' || r.nspname || '.' || r.relname, pg_get_viewdef(r.oid) from rel r where r.relkind in ('v', 'm')
      union all
      select 'trigger ' || r.nspname || '.' || r.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
        from rel r join pg_trigger t on t.tgrelid = r.oid and not t.tgisinternal
      union all
      select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
             pg_get_functiondef(p.oid)
        from pg_proc p join ns n on n.oid = p.pronamespace
       where not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      """;

  // why these columns: the seed rows as written, without the times at which they were written
  private static final String ROWS = """
      select 'rows queues', string_agg(format('%s', (q.queue_name, q.removed_count)), ' ' order by q.queue_name) from queues q
      union all
      select 'rows content_stage_config', string_agg(format('%s', (c.queue, c.stage, c.worker_endpoint, c.max_concurrency,
             c.trigger_batch_size, c.enabled, c.max_attempts, c.retry_delay_seconds)), ' ' order by c.queue, c.stage)
        from content_stage_config c
      union all
      select 'rows stage_slots', string_agg(format('%s', (s.queue_name, s.stage, s.slot, s.msg_id, s.lease)), ' '
             order by s.queue_name, s.stage, s.slot) from stage_slots s
      union all
      select 'rows scheduler_jobs', string_agg(format('%s', (j.name, j.schedule, j.action, j.command, j.description,
             j.enabled, j.timeout_seconds, j.next_run_at)), ' ' order by j.name) from scheduler_jobs j
      """;

  private SchemaCatalog() {}

  static Map<String, String> of(DatabaseAddress address) {
    Jdbi jdbi = Jdbi.create(address.jdbcUrl(), address.user(), address.password());
    Map<String, String> catalog = new LinkedHashMap<>();
    jdbi.useHandle(h -> {
      for (String sql : new String[] {OBJECTS + " order by 1", ROWS}) {
        h.createQuery(sql).map((rs, ctx) -> Map.entry(rs.getString(1), String.valueOf(rs.getString(2))))
            .forEach(e -> catalog.put(e.getKey(), e.getValue()));
      }
    });
    return catalog;
  }
}
