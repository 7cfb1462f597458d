package io.planperfect.cli;

import io.planperfect.cli.client.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The options of the commands that talk to a running server: where it is, the key, and whether to
 * print the server's JSON. The key is, first found: {@code --key}, {@code PLANPERFECT_KEY},
 * {@code PLANPERFECT_SERVICE_KEY} (the one serve itself would use), the service key serve keeps in
 * {@code <data-dir>/keys.properties}.
 */
final class ServerOptions {
  static final String KEY_FILE = "keys.properties";

  @Option(names = "--url", description = "The server. Default: $PLANPERFECT_URL or ${DEFAULT-VALUE}",
      defaultValue = "${env:PLANPERFECT_URL:-http://127.0.0.1:8080}")
  String url;

  @Option(names = "--key", description = "The API key. Default: $PLANPERFECT_KEY, $PLANPERFECT_SERVICE_KEY, "
      + "or the service key in <data-dir>/" + KEY_FILE)
  String key;

  @Option(names = "--data-dir", description = "Where serve keeps its keys (used when no key is given). Default: ${DEFAULT-VALUE}",
      defaultValue = "${env:PLANPERFECT_DATA_DIR:-./data}")
  Path dataDir;

  @Option(names = "--json", description = "Print the server's JSON instead of tables (for scripts).")
  boolean json;

  ApiClient client() {
    return new ApiClient(url, key());
  }

  private String key() {
    for (String candidate : new String[] {key, System.getenv("PLANPERFECT_KEY"), System.getenv("PLANPERFECT_SERVICE_KEY")}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.trim();
      }
    }
    Path file = dataDir.resolve(KEY_FILE);
    if (!Files.exists(file)) {
      throw new IllegalStateException("no API key: pass --key, set PLANPERFECT_KEY, or run where serve keeps "
          + file + " (--data-dir)");
    }
    Properties keys = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      keys.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the API keys in " + file, e);
    }
    String service = keys.getProperty("service_key");
    if (service == null || service.isBlank()) {
      throw new IllegalStateException(file + " has no service_key: pass --key or set PLANPERFECT_KEY");
    }
    return service.trim();
  }
}
