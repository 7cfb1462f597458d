package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.crash.ChildNode;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Child-JVM nodes running {@link FaultNodeMain} in numbered slots, each slot restartable; the
 * harness records every pid it started and only ever signals those.
 */
final class FaultCluster implements AutoCloseable {
  static final long MIN_STAGE_MILLIS = 20;
  static final long MAX_STAGE_MILLIS = 200;

  private final Map<String, String> env;
  private final ChildNode[] slots;
  private final boolean[] restarting;
  private final List<Thread> restarts = new ArrayList<>();
  private long minStageMillis = MIN_STAGE_MILLIS;
  private long maxStageMillis = MAX_STAGE_MILLIS;
  private Supplier<Map<String, String>> perStartEnv = Map::of;
  final List<Long> pidsStarted = new ArrayList<>();

  FaultCluster(int size, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(Map.of(
        "CONTENT_STAGE_RETRY_DELAY_SECONDS", "0.05",
        "PLANPERFECT_SHUTDOWN_GRACE_SECONDS", "2",
        "PLANPERFECT_DB_POOL_SIZE", "12"));
    all.putAll(env);
    this.env = Map.copyOf(all);
    this.slots = new ChildNode[size];
    this.restarting = new boolean[size];
  }

  /** Every stage's random sleep, for nodes started from now on (default 20–200 ms). */
  FaultCluster stageMillis(long min, long max) {
    this.minStageMillis = min;
    this.maxStageMillis = max;
    return this;
  }

  /** Environment added to each node started from now on, asked afresh at every start (fault points). */
  FaultCluster perStartEnv(Supplier<Map<String, String>> env) {
    this.perStartEnv = env;
    return this;
  }

  int size() {
    return slots.length;
  }

  FaultCluster startAll() throws Exception {
    for (int i = 0; i < slots.length; i++) {
      start(i);
    }
    return this;
  }

  void start(int slot) throws Exception {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.putAll(perStartEnv.get());
    ChildNode node = ChildNode.start(FaultNodeMain.class,
        List.of(Long.toString(minStageMillis), Long.toString(maxStageMillis)), nodeEnv);
    synchronized (this) {
      pidsStarted.add(node.pid());
      slots[slot] = node;
    }
  }

  synchronized ChildNode node(int slot) {
    return slots[slot];
  }

  /**
   * SIGKILLs the node in a random slot and starts a new one there {@code restartAfter} later, in
   * the background. Returns the killed pid, or empty when that slot is still restarting, its node
   * is already dead, or it is the last node up (one node always stays up).
   */
  Optional<Long> killAndRestart(Duration restartAfter) throws InterruptedException {
    return killAndRestart(ThreadLocalRandom.current().nextInt(slots.length), restartAfter);
  }

  /**
   * {@link #killAndRestart(Duration)} for a node that is running a stage now (one picked at random
   * among them; any node when none is). why: a job's stages tend to stay on the node that ran its
   * previous stage (the completing transaction claims the next one, V16), so with few jobs in flight
   * a node picked blindly is often idle and the kill would test nothing.
   */
  Optional<Long> killBusyAndRestart(Duration restartAfter) throws InterruptedException {
    List<Long> busy = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select distinct pid from fault_attempts
             where finished_at is null and started_at > clock_timestamp() - interval '1 minute'""")
        .mapTo(Long.class).list());
    List<Integer> candidates = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] != null && busy.contains(slots[i].pid())) {
          candidates.add(i);
        }
      }
    }
    if (candidates.isEmpty()) {
      return killAndRestart(restartAfter);
    }
    return killAndRestart(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())), restartAfter);
  }

  /** {@link #killAndRestart(Duration)} for the node in the given slot. */
  Optional<Long> killAndRestart(int slot, Duration restartAfter) throws InterruptedException {
    ChildNode victim;
    synchronized (this) {
      long up = IntStream.range(0, slots.length).filter(i -> !restarting[i]).count();
      victim = slots[slot];
      if (restarting[slot] || up < 2 || victim == null || !victim.isAlive()) {
        return Optional.empty();
      }
      restarting[slot] = true;
    }
    victim.kill();
    Thread restart = new Thread(() -> {
      sleep(restartAfter.toMillis());
      try {
        start(slot);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        synchronized (this) {
          restarting[slot] = false;
        }
      }
    }, "restart-" + slot);
    synchronized (this) {
      restarts.add(restart);
    }
    restart.start();
    return Optional.of(victim.pid());
  }

  /** Submits article jobs through any live node, recording every 2xx answer in the client ledger. */
  List<String> submit(int jobs, String extraPayload) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      String body = """
          {"job_type": "article", "payload": {"title": "Fault %d", "keywords": ["fault", "ledger"], "word_count": 150%s}}"""
          .formatted(i, extraPayload.isEmpty() ? "" : ", " + extraPayload);
      ids.add(submitOne(body));
    }
    return ids;
  }

  private String submitOne(String body) {
    for (int attempt = 1; ; attempt++) {
      ChildNode node = node(ThreadLocalRandom.current().nextInt(slots.length));
      try {
        if (node != null && node.isAlive()) {
          Http.Response response = new Http(node.port(), TestNode.ANON_KEY).post("/functions/v1/content-intake", body);
          if (response.status() / 100 == 2) {
            String id = response.json().get("job_id").asText();
            Invariants.acknowledged(id);
            return id;
          }
          assertThat(response.status()).as("intake answer").isLessThan(500);
        }
      } catch (UncheckedIOException e) {
        // the node died under us: no answer, so nothing acknowledged; try another one
      }
      assertThat(attempt).as("intake attempts").isLessThan(100);
      sleep(100);
    }
  }

  /** Disables every content stage (claims return nothing), so submitted jobs wait as a backlog. */
  static void pause() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where queue = 'content'"));
  }

  static void resume() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where queue = 'content'"));
  }

  static long terminalJobs() {
    return TestDatabase.count("""
        select count(*) from jobs j join fault_intake i on i.job_id = j.id where j.status in ('completed', 'failed')""");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    List<Thread> pending;
    synchronized (this) {
      pending = List.copyOf(restarts);
    }
    for (Thread restart : pending) {
      restart.join(90_000);
    }
    closeNodes();
  }

  private synchronized void closeNodes() throws InterruptedException {
    for (ChildNode node : slots) {
      if (node != null) {
        node.close();
      }
    }
  }
}
