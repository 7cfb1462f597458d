package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.List;
import java.util.Optional;

/** The intake load harness's command line: connection counts, run length, node concurrency, pgbench length, server. */
record IntakeOptions(List<Integer> connections, int seconds, int warmupSeconds, int stageConcurrency, int pgbenchSeconds,
                     String client, List<Boolean> pausedRuns, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench intake [--connections 16,64] [--seconds N] [--warmup-seconds N] [--stage-concurrency N]
                            [--pgbench-seconds N] [--client auto|wrk|java] [--stages running,paused]
                            [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --connections        client connections of each run, closed loop: each sends its next request when
                             its last one is answered (default 16,64)
        --seconds            length of each measured run (default 15)
        --warmup-seconds     unrecorded run at the first connection count before the measured ones (default 5)
        --stage-concurrency  PLANPERFECT_STAGE_CONCURRENCY of the node working the six instant stages (default 8)
        --pgbench-seconds    length of the pgbench -N reference run, 4 clients (default 15)
        --client             the load generator: wrk (a process of its own), java (the JDK's HttpClient in
                             the node's JVM), or auto: wrk when on PATH, else java (default auto)
        --stages             running: the runs with the six stages working (issue 20 item 5's figure);
                             paused: the same runs with the stages disabled, intake alone (default both)
        --db-url             use this PostgreSQL instead of a durable embedded one in a temp dir""";

  static IntakeOptions parse(String[] args) {
    List<Integer> connections = List.of(16, 64);
    int seconds = 15;
    int warmup = 5;
    int concurrency = 8;
    int pgbenchSeconds = 15;
    String client = "auto";
    List<Boolean> paused = List.of(false, true);
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--connections" -> connections = OptionArgs.counts(name, value);
        case "--seconds" -> seconds = OptionArgs.positive(name, value);
        case "--warmup-seconds" -> warmup = OptionArgs.positive(name, value);
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbenchSeconds = OptionArgs.positive(name, value);
        case "--client" -> client = oneOf(name, value, List.of("auto", "wrk", "java"));
        case "--stages" -> paused = stages(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new IntakeOptions(connections, seconds, warmup, concurrency, pgbenchSeconds, client, paused, database);
  }

  private static List<Boolean> stages(String name, String value) {
    List<Boolean> paused = new java.util.ArrayList<>();
    for (String item : value.split(",")) {
      paused.add(switch (oneOf(name, item.trim(), List.of("running", "paused"))) {
        case "paused" -> true;
        default -> false;
      });
    }
    return List.copyOf(paused);
  }

  private static String oneOf(String name, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(name + " needs one of " + String.join(", ", allowed) + ", got '" + value + "'\n" + USAGE);
    }
    return value;
  }
}
