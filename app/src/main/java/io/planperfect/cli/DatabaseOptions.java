package io.planperfect.cli;

import io.planperfect.config.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares: where the data dir is (embedded database, keys). */
final class DatabaseOptions {
  @Option(names = "--data-dir", description = "Data directory (embedded PostgreSQL, API keys). Default: ${DEFAULT-VALUE}",
      defaultValue = Settings.DEFAULT_DATA_DIR)
  Path dataDir;

  Settings settings() {
    return Settings.fromEnvironment(System.getenv()).withDataDir(dataDir);
  }
}
