package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The load harness's command line: scenario length, client count, queue depths, and target server. */
record HarnessOptions(int seconds, int clients, List<Integer> depths, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench [--seconds N] [--clients N] [--depths 10000,1000000]
                     [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --seconds   length of each scenario (default 15)
        --clients   concurrent client threads and pgbench clients (default 4)
        --depths    queue depths to measure at (default 10000,1000000)
        --db-url    use this PostgreSQL instead of a durable embedded one in a temp dir""";

  static HarnessOptions parse(String[] args) {
    int seconds = 15;
    int clients = 4;
    List<Integer> depths = List.of(10_000, 1_000_000);
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--seconds" -> seconds = OptionArgs.positive(name, value);
        case "--clients" -> clients = OptionArgs.positive(name, value);
        case "--depths" -> depths = Arrays.stream(value.split(",")).map(d -> OptionArgs.positive(name, d.trim())).toList();
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new HarnessOptions(seconds, clients, depths, database);
  }
}
