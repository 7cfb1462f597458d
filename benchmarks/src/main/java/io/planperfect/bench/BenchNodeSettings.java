package io.planperfect.bench;

import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import java.util.Map;
import java.util.UUID;

/** A benchmark node's settings: the server, port 0, the stage concurrency, fresh keys (so no key file or data dir). */
final class BenchNodeSettings {
  private BenchNodeSettings() {}

  static Map<String, String> environment(DatabaseAddress address, int stageConcurrency) {
    return Map.of(
        "PLANPERFECT_DB_URL", address.jdbcUrl(),
        "PLANPERFECT_DB_USER", address.user(),
        "PLANPERFECT_DB_PASSWORD", address.password(),
        "PLANPERFECT_PORT", "0",
        "PLANPERFECT_STAGE_CONCURRENCY", Integer.toString(stageConcurrency),
        "PLANPERFECT_SERVICE_KEY", UUID.randomUUID().toString(),
        "PLANPERFECT_ANON_KEY", UUID.randomUUID().toString());
  }

  static Settings of(DatabaseAddress address, int stageConcurrency) {
    return Settings.fromEnvironment(environment(address, stageConcurrency));
  }
}
