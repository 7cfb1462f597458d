package io.planperfect.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The node's connection pool, its Jdbi handle factory, and the migrations. Every
 * repository takes a {@link Jdbi} from here; nothing else opens pooled connections.
 */
public final class Database implements AutoCloseable {
  private final DatabaseAddress address;
  private final HikariDataSource pool;
  private final Jdbi jdbi;

  private Database(DatabaseAddress address, HikariDataSource pool) {
    this.address = address;
    this.pool = pool;
    this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
  }

  public static Database connect(DatabaseAddress address, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(address.jdbcUrl());
    config.setUsername(address.user());
    config.setPassword(address.password());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(4, poolSize));
    config.setPoolName("pp-db");
    config.setConnectionTimeout(5_000);
    // why: a node must come up even while PostgreSQL is still starting or briefly down;
    // requests fail fast (503) until it answers, instead of the node refusing to start.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "planperfect");
    return new Database(address, new HikariDataSource(config));
  }

  /** Applies the migrations in db/migration (the tests run the same ones); see {@link Migrations}. */
  public void migrate() {
    Migrations.migrate(pool, address);
  }

  /** The pool's meters (connections active, idle, pending, timeouts, acquire and usage times) in {@code registry}; once. */
  public void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
    pool.setMetricRegistry(registry);
  }

  /** Whether the database answers a trivial query now. */
  public boolean answers() {
    try {
      return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The versions in db/migration that the database has not applied (empty when it is current); see {@link Migrations}. */
  public java.util.List<String> pendingMigrations() {
    return Migrations.pending(pool);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DatabaseAddress address() {
    return address;
  }

  @Override
  public void close() {
    pool.close();
  }
}
