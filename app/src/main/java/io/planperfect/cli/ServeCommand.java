package io.planperfect.cli;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code serve}: the whole system in one process, until Ctrl-C. */
@Command(name = "serve", description = "Start PlanPerfect: database (embedded unless PLANPERFECT_DB_URL is set), "
    + "migrations, workers and the HTTP API.")
final class ServeCommand implements Callable<Integer> {
  static final int KEEP_RUNNING = -1;

  @Mixin DatabaseOptions database;

  @Option(names = "--host", description = "Address to listen on. Default: $PLANPERFECT_HOST, else " + Settings.DEFAULT_HOST)
  String host;

  @Option(names = "--port", description = "Port to listen on (0 picks a free one). Default: $PLANPERFECT_PORT, else "
      + Settings.DEFAULT_PORT)
  Integer port;

  /** The environment's settings with the flags given over them (a flag wins over its variable). */
  Settings settings(Map<String, String> env) {
    Settings settings = database.settings(env);
    return settings.withListen(host == null ? settings.host() : host, port == null ? settings.port() : port);
  }

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = settings(System.getenv());
    String listen = settings.host();
    NodeLifecycle lifecycle = new NodeLifecycle();
    PlanPerfectNode node = lifecycle.start(() ->
        PlanPerfectNode.start(settings, StandardPipelines.all(), NodeOptions.serve(System.getenv())));
    System.out.printf("PlanPerfect listening on http://%s:%d%n", listen, node.port());
    System.out.printf("Dashboard: http://%s:%d/ (log in with a key below)%n", listen, node.port());
    System.out.printf("Database: %s%n", node.databaseAddress().displayUrl());
    System.out.printf("Service key: %s%n", node.keys().serviceKey());
    System.out.printf("Anon key:    %s%n", node.keys().anonKey());
    System.out.println("Press Ctrl-C to stop.");
    lifecycle.awaitStop();
    return KEEP_RUNNING;
  }
}
