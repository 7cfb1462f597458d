package io.planperfect.maintenance;

import io.planperfect.json.Json;
import io.planperfect.maintenance.HealthChecks.Finding;
import io.planperfect.maintenance.HealthChecks.HealthCheck;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The database answers: a round trip's time, the server version, size and connections; degraded when slow. */
final class DatabaseCheck implements HealthCheck {
  static final long SLOW_ROUND_TRIP_MS = 1000;

  private static final String FACTS = """
      select version() as version,
             current_setting('server_version_num')::integer as version_num,
             pg_database_size(current_database()) as size_bytes,
             (select count(*) from pg_stat_activity where datname = current_database()) as connections""";

  @Override
  public String component() {
    return "database";
  }

  @Override
  public Finding check(Handle h) {
    long started = System.nanoTime();
    h.createQuery("select 1").mapTo(Integer.class).one();
    double roundTripMs = (System.nanoTime() - started) / 1_000_000.0;
    Map<String, Object> facts = h.createQuery(FACTS).mapToMap().one();
    HealthStatus status = roundTripMs > SLOW_ROUND_TRIP_MS ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
    return new Finding(status, Json.object().put("round_trip_ms", roundTripMs)
        .put("version", (String) facts.get("version"))
        .put("version_num", ((Number) facts.get("version_num")).intValue())
        .put("size_bytes", ((Number) facts.get("size_bytes")).longValue())
        .put("connections", ((Number) facts.get("connections")).longValue())
        .put("slow_threshold_ms", SLOW_ROUND_TRIP_MS));
  }
}
