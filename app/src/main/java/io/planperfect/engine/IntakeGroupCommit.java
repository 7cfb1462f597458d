package io.planperfect.engine;

import io.planperfect.engine.AcceptedJobs.AcceptedJob;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for single intakes: the jobs that concurrent requests hand in while a committer is
 * busy wait in line, and the next free committer stores up to {@link #MAX_GROUP} of them in one
 * transaction, one multi-row statement per table ({@link AcceptedJobs}). Each caller is answered only
 * once its own rows are committed. When a group's transaction fails, each of its jobs is stored again
 * in a transaction of its own, so one bad row fails only its own request.
 *
 * <p>why: one intake was ten statements and a commit (a WAL flush) of its own, and each request held
 * a pooled connection throughout, so 64 intake connections took the pool from the workers. A group
 * writes four statements and one commit whatever its size, and intake holds at most
 * {@code committers} connections.
 */
final class IntakeGroupCommit implements AutoCloseable {
  /** The most jobs one transaction stores; a longer line is taken in several groups. */
  static final int MAX_GROUP = 100;
  private static final Logger log = LoggerFactory.getLogger(IntakeGroupCommit.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final String QUEUED_MESSAGE = "Job queued by intake";

  private final Jdbi jdbi;
  private final AcceptedJobs rows;
  private final Consumer<Set<String>> committed;
  private final BlockingQueue<Waiting> line = new LinkedBlockingQueue<>();
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean open = true;

  private record Waiting(AcceptedJob job, UUID id, CompletableFuture<UUID> stored) {}

  /**
   * {@code committed} is told, after each commit, the "queue\nstage" pairs that got first messages;
   * {@code committers} transactions may be open at once (each holds one pooled connection).
   */
  IntakeGroupCommit(Jdbi jdbi, AcceptedJobs rows, Consumer<Set<String>> committed, int committers) {
    this.jdbi = jdbi;
    this.rows = rows;
    this.committed = committed;
    for (int i = 0; i < committers; i++) {
      Thread committer = new Thread(this::run, "pp-intake-commit-" + i);
      committer.setDaemon(true);
      this.committers.add(committer);
      committer.start();
    }
  }

  /** Stores the job with the next group and returns its id once committed; throws what storing it threw. */
  UUID store(AcceptedJob job) {
    Waiting waiting = new Waiting(job, UUID.randomUUID(), new CompletableFuture<>());
    if (!open) {
      throw closed();
    }
    line.add(waiting);
    if (!open) {
      failWaiting();
    }
    try {
      return waiting.stored().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("intake of a " + job.job().jobType() + " job failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a " + job.job().jobType() + " job was being stored", e);
    }
  }

  /** Jobs handed in and not yet taken into a group. */
  int waiting() {
    return line.size();
  }

  private void run() {
    while (open || !line.isEmpty()) {
      List<Waiting> group = new ArrayList<>();
      try {
        Waiting first = line.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
      } catch (InterruptedException e) {
        return;
      }
      line.drainTo(group, MAX_GROUP - 1);
      commit(group);
    }
  }

  private void commit(List<Waiting> group) {
    try {
      Set<String> announce = jdbi.inTransaction(h -> rows.insert(h, null,
          group.stream().map(Waiting::id).toList(), group.stream().map(Waiting::job).toList(), QUEUED_MESSAGE));
      answer(group, announce);
    } catch (RuntimeException e) {
      if (group.size() == 1 || unreachable(e)) {
        group.forEach(w -> w.stored().completeExceptionally(e));
        return;
      }
      log.debug("a group of {} intakes failed ({}); storing each on its own", group.size(), e.toString());
      for (Waiting one : group) {
        commit(List.of(one));
      }
    } catch (Throwable e) {
      // why not rethrown: a committer that died would leave the requests behind it waiting for ever
      log.error("a group of {} intakes failed with {}; its requests are answered with the error", group.size(), e.toString(), e);
      group.forEach(w -> w.stored().completeExceptionally(e));
    }
  }

  /** why: a database that cannot be reached fails every job alike; trying each again would only wait longer. */
  private static boolean unreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLException sql && sql.getSQLState() != null
             && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  private void answer(List<Waiting> group, Set<String> announce) {
    try {
      committed.accept(announce);
    } catch (RuntimeException e) {
      log.warn("could not announce {} committed intakes (the workers' polls will find them)", group.size(), e);
    }
    group.forEach(w -> w.stored().complete(w.id()));
  }

  private void failWaiting() {
    List<Waiting> left = new ArrayList<>();
    line.drainTo(left);
    left.forEach(w -> w.stored().completeExceptionally(closed()));
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("intake is closed: the node is shutting down");
  }

  /** Stores the jobs already in line, then stops the committers; a job handed in later is refused. */
  @Override
  public void close() {
    open = false;
    for (Thread committer : committers) {
      try {
        committer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failWaiting();
  }
}
