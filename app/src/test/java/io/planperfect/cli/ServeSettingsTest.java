package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s listen address and data dir: the README's variables, with a flag over its variable. */
class ServeSettingsTest {
  private static final Map<String, String> ENV = Map.of(
      "PLANPERFECT_HOST", "0.0.0.0", "PLANPERFECT_PORT", "9123", "PLANPERFECT_DATA_DIR", "/var/lib/planperfect");

  private static Settings serve(Map<String, String> env, String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings(env);
  }

  @Test
  void without_flags_the_environment_sets_host_port_and_data_dir() {
    Settings settings = serve(ENV);

    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.port()).isEqualTo(9123);
    assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/planperfect"));
  }

  @Test
  void a_flag_wins_over_its_variable() {
    Settings settings = serve(ENV, "--port", "8181", "--host", "127.0.0.1", "--data-dir", "./other");

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8181);
    assertThat(settings.dataDir()).isEqualTo(Path.of("./other"));
  }

  @Test
  void with_neither_the_defaults_hold() {
    Settings settings = serve(Map.of());

    assertThat(settings.host()).isEqualTo(Settings.DEFAULT_HOST);
    assertThat(settings.port()).isEqualTo(Settings.DEFAULT_PORT);
    assertThat(settings.dataDir()).isEqualTo(Path.of(Settings.DEFAULT_DATA_DIR));
  }
}
