package io.planperfect.cli;

import io.planperfect.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command shares: where the data dir is (embedded database, keys). */
final class DatabaseOptions {
  @Option(names = "--data-dir", description = "Data directory (embedded PostgreSQL, API keys). "
      + "Default: $PLANPERFECT_DATA_DIR, else " + Settings.DEFAULT_DATA_DIR)
  Path dataDir;

  Settings settings() {
    return settings(System.getenv());
  }

  /** The environment's settings, with the flag over {@code PLANPERFECT_DATA_DIR} when it is given. */
  Settings settings(Map<String, String> env) {
    Settings settings = Settings.fromEnvironment(env);
    return dataDir == null ? settings : settings.withDataDir(dataDir);
  }
}
