package io.planperfect.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What PostgreSQL did for a run of operations, from its own counters read before and after:
 * top-level statements (pg_stat_statements, reset at the start), commits (pg_stat_database),
 * rows written per table with HOT updates and the index entries they imply (pg_stat_user_tables),
 * and WAL records, full-page images and bytes (pg_stat_wal). The harness's own queries carry
 * {@value #MARK} and are left out. Counters reach the views when a backend flushes them (at the
 * latest when it exits): close the connections that did the work before {@link #after}.
 */
final class DatabaseCost {
  static final String MARK = "cost-harness";

  /**
   * A table's writes. Index entries are counted for its full indexes (every insert and non-HOT update
   * adds one to each); a partial index gets one only when the row matches its predicate, so
   * {@code partialIndexes} is shown beside the count rather than in it.
   */
  record TableWrites(String table, long indexes, long partialIndexes, long inserted, long updated, long hotUpdated,
                     long deleted) {
    long indexEntries() {
      return indexes * (inserted + updated - hotUpdated);
    }

    TableWrites minus(TableWrites before) {
      return new TableWrites(table, indexes, partialIndexes, inserted - before.inserted, updated - before.updated,
          hotUpdated - before.hotUpdated, deleted - before.deleted);
    }

    boolean wrote() {
      return inserted + updated + deleted > 0;
    }
  }

  record Counters(long commits, long walRecords, long walFpi, long walBytes, Map<String, TableWrites> tables) {}

  record Statement(String query, long calls, long rows, long walRecords, long walBytes) {}

  /** A run's totals; per-operation figures divide by {@code operations}. */
  record Cost(String name, long operations, long commits, long walRecords, long walFpi, long walBytes,
              List<TableWrites> tables, List<Statement> statements) {
    double per(long total) {
      return (double) total / operations;
    }

    /** Top-level statements other than BEGIN, COMMIT and END (pg_stat_statements does not see every one of those). */
    long statementCount() {
      return statements.stream().filter(s -> !isTransactionControl(s)).mapToLong(Statement::calls).sum();
    }

    /**
     * Client round trips: each statement, plus for pgjdbc one COMMIT per BEGIN (its BEGIN travels with
     * the next statement), or for pgbench -N's script a BEGIN and an END of their own per transaction.
     */
    long roundTrips(boolean pgbenchScript) {
      long begins = statements.stream().filter(s -> s.query().trim().equalsIgnoreCase("begin")).mapToLong(Statement::calls).sum();
      return statementCount() + (pgbenchScript ? 2 * operations : begins);
    }

    private static boolean isTransactionControl(Statement s) {
      String q = s.query().trim().toLowerCase(java.util.Locale.ROOT);
      return q.equals("begin") || q.equals("commit") || q.equals("end") || q.equals("rollback");
    }

    long rowsWritten() {
      return tables.stream().mapToLong(t -> t.inserted() + t.updated() + t.deleted()).sum();
    }

    long indexEntries() {
      return tables.stream().mapToLong(TableWrites::indexEntries).sum();
    }

    long updated() {
      return tables.stream().mapToLong(TableWrites::updated).sum();
    }

    long hotUpdated() {
      return tables.stream().mapToLong(TableWrites::hotUpdated).sum();
    }
  }

  private final Jdbi jdbi;
  private final String database;
  private Counters before;

  DatabaseCost(Jdbi jdbi, String database) {
    this.jdbi = jdbi;
    this.database = database;
  }

  void before() {
    jdbi.useHandle(h -> h.execute("create extension if not exists pg_stat_statements"));
    jdbi.useHandle(h -> h.execute("select /* " + MARK + " */ pg_stat_statements_reset()"));
    before = read();
  }

  Cost after(String name, long operations) {
    Counters after = read();
    List<TableWrites> tables = new ArrayList<>();
    after.tables().forEach((table, writes) -> {
      TableWrites delta = writes.minus(before.tables().getOrDefault(table, new TableWrites(table, writes.indexes(), writes.partialIndexes(), 0, 0, 0, 0)));
      if (delta.wrote()) {
        tables.add(delta);
      }
    });
    tables.sort(Comparator.comparingLong(TableWrites::indexEntries).reversed());
    return new Cost(name, operations, after.commits() - before.commits(), after.walRecords() - before.walRecords(),
        after.walFpi() - before.walFpi(), after.walBytes() - before.walBytes(), tables, statements());
  }

  private Counters read() {
    return jdbi.withHandle(h -> {
      h.execute("select /* " + MARK + " */ pg_stat_clear_snapshot()");
      long commits = h.createQuery("select /* " + MARK + " */ xact_commit from pg_stat_database where datname = :db")
          .bind("db", database).mapTo(Long.class).one();
      return h.createQuery("select /* " + MARK + " */ wal_records, wal_fpi, wal_bytes::bigint as wal_bytes from pg_stat_wal")
          .map((rs, ctx) -> new Counters(commits, rs.getLong("wal_records"), rs.getLong("wal_fpi"), rs.getLong("wal_bytes"),
              tables(h)))
          .one();
    });
  }

  private static Map<String, TableWrites> tables(Handle h) {
    Map<String, TableWrites> tables = new LinkedHashMap<>();
    h.createQuery("""
            select /* cost-harness */ relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del,
                   (select count(*) from pg_index i where i.indrelid = s.relid and i.indpred is null) as indexes,
                   (select count(*) from pg_index i where i.indrelid = s.relid and i.indpred is not null) as partial
              from pg_stat_user_tables s order by relname""")
        .map((rs, ctx) -> new TableWrites(rs.getString("relname"), rs.getLong("indexes"), rs.getLong("partial"), rs.getLong("n_tup_ins"),
            rs.getLong("n_tup_upd"), rs.getLong("n_tup_hot_upd"), rs.getLong("n_tup_del")))
        .forEach(t -> tables.put(t.table(), t));
    return tables;
  }

  private List<Statement> statements() {
    return jdbi.withHandle(h -> h.createQuery("""
            select /* cost-harness */ regexp_replace(query, '\\s+', ' ', 'g') as query, calls, rows, wal_records,
                   wal_bytes::bigint as wal_bytes
              from pg_stat_statements
             where dbid = (select oid from pg_database where datname = :db) and query not like '%cost-harness%'
             order by calls desc, query""")
        .bind("db", database)
        .map((rs, ctx) -> new Statement(rs.getString("query"), rs.getLong("calls"), rs.getLong("rows"),
            rs.getLong("wal_records"), rs.getLong("wal_bytes")))
        .list());
  }
}
