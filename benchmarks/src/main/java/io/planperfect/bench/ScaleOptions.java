package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.List;
import java.util.Optional;

/** The scale-out harness's command line: node counts, backlog, window lengths, node concurrency, target server. */
record ScaleOptions(List<Integer> nodes, int backlogJobs, int warmupSeconds, int seconds, int stageConcurrency,
                    int pgbenchSeconds, String nodeJavaOptions, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench scale [--nodes 1,2,4] [--backlog-jobs N] [--warmup-seconds N] [--seconds N]
                           [--stage-concurrency N] [--pgbench-seconds N] [--node-java-opts "..."]
                           [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --nodes              node JVMs to run at once, one measurement per count (default 1,2,4)
        --backlog-jobs       jobs queued before each count's nodes start, so they work at overload
                             (default 8000; a row says so when the backlog ran out in its window)
        --warmup-seconds     after every node is up, unmeasured (default 5)
        --seconds            the measured window (default 20)
        --stage-concurrency  PLANPERFECT_STAGE_CONCURRENCY of each node (default 8)
        --pgbench-seconds    length of the pgbench -N reference run, 4 clients (default 15)
        --node-java-opts     JVM options of each node process (default "-Xmx512m")
        --db-url             use this PostgreSQL instead of a durable embedded one in a temp dir; no
                             other node may work its queue 'content'; its waiting 'content' messages are
                             deleted between counts; database CPU is n/a unless it runs on this machine""";

  static ScaleOptions parse(String[] args) {
    List<Integer> nodes = List.of(1, 2, 4);
    int backlog = 8_000;
    int warmup = 5;
    int seconds = 20;
    int concurrency = 8;
    int pgbenchSeconds = 15;
    String javaOptions = "-Xmx512m";
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--nodes" -> nodes = OptionArgs.counts(name, value);
        case "--backlog-jobs" -> backlog = OptionArgs.positive(name, value);
        case "--warmup-seconds" -> warmup = OptionArgs.positive(name, value);
        case "--seconds" -> seconds = OptionArgs.positive(name, value);
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbenchSeconds = OptionArgs.positive(name, value);
        case "--node-java-opts" -> javaOptions = value;
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new ScaleOptions(nodes, backlog, warmup, seconds, concurrency, pgbenchSeconds, javaOptions, database);
  }
}
