package io.planperfect.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code ./planperfect <command>}. */
@Command(name = "planperfect", mixinStandardHelpOptions = true, version = "PlanPerfect 0.1.0",
    description = "Postgres-native pipeline engine for AI content generation.",
    subcommands = {ServeCommand.class, WorkerCommand.class, PsqlCommand.class, MigrateCommand.class,
        SubmitCommand.class, WatchCommand.class, BatchCommand.class, StatusCommand.class, JobsCommand.class,
        DlqCommand.class, DispatchCommand.class, StagesCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int exit = new CommandLine(new Main())
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          // why: operators need the reason in one line, not a stack trace; the cause goes to the log.
          System.err.println("error: " + (error.getMessage() == null ? error : error.getMessage()));
          if (System.getenv("PLANPERFECT_DEBUG") != null) {
            error.printStackTrace();
          }
          LoggerFactory.getLogger(Main.class).debug("command failed", error);
          return 1;
        })
        .execute(args);
    if (exit != ServeCommand.KEEP_RUNNING) {
      // why: Jetty and the pool leave non-daemon threads for a few seconds after stopping.
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
