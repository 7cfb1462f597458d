package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.Optional;

/** The backlog harness's command line: backlog depth, the shallow run's jobs, window, fill step, drain, node and pgbench. */
record BacklogOptions(int backlog, int shallowJobs, int windowSeconds, int fillStep, int drainSeconds, int stageConcurrency,
                      int pgbenchSeconds, boolean explain, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench backlog [--backlog N] [--shallow-jobs N] [--window-seconds N] [--fill-step N]
                             [--drain-seconds N] [--stage-concurrency N] [--pgbench-seconds N] [--explain yes|no]
                             [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --backlog            jobs queued by SQL before the deep run (default 100000)
        --shallow-jobs       jobs queued by SQL before the shallow run, its whole backlog (default 5000)
        --window-seconds     length of each measured window (default 20)
        --fill-step          jobs per fill transaction while the deep backlog fills; RSS is sampled meanwhile (default 10000)
        --drain-seconds      how long the node keeps draining the deep backlog after its window, RSS sampled (default 60)
        --stage-concurrency  PLANPERFECT_STAGE_CONCURRENCY of the node (default 8)
        --pgbench-seconds    length of the pgbench -N reference run, 4 clients (default 15)
        --explain            print the claim's nested plans (auto_explain) at shallow and deep depth (default yes)
        --db-url             use this PostgreSQL instead of a durable embedded one in a temp dir; no node may be
                             working its queue 'content'""";

  static BacklogOptions parse(String[] args) {
    int backlog = 100_000;
    int shallow = 5_000;
    int window = 20;
    int step = 10_000;
    int drain = 60;
    int concurrency = 8;
    int pgbench = 15;
    boolean explain = true;
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--backlog" -> backlog = OptionArgs.positive(name, value);
        case "--shallow-jobs" -> shallow = OptionArgs.positive(name, value);
        case "--window-seconds" -> window = OptionArgs.positive(name, value);
        case "--fill-step" -> step = OptionArgs.positive(name, value);
        case "--drain-seconds" -> drain = OptionArgs.positive(name, value);
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbench = OptionArgs.positive(name, value);
        case "--explain" -> explain = yesNo(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new BacklogOptions(backlog, shallow, window, step, drain, concurrency, pgbench, explain, database);
  }

  private static boolean yesNo(String name, String value) {
    return switch (value) {
      case "yes" -> true;
      case "no" -> false;
      default -> throw new IllegalArgumentException(name + " takes yes or no, got '" + value + "'");
    };
  }
}
