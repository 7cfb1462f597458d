package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.SseReader;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server-Sent Events over the change feed: a job's changes with progress, resumable by Last-Event-ID; every change for the service key. */
class EventStreamTest {
  private final CountDownLatch gate = new CountDownLatch(1);
  private PlanPerfectNode node;
  private static final int BULKY_JOBS = 100;
  private PipelineDefinition pipeline;
  private PipelineDefinition bulky;
  private final Set<UUID> waited = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    TestDatabase.clean();
    pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("fetch", context -> {
          gate.await();
          return StageOutcome.completed(Json.object().put("fetched", true));
        }),
        new StageDefinition("write", context -> StageOutcome.completed(Json.object().put("words", 300))),
        new StageDefinition("check", context -> StageOutcome.completed(Json.object().put("passed", true)))
            .skippedWhen(payload -> payload.path("skipCheck").asBoolean())));
    bulky = new PipelineDefinition("bulky", "bulky", List.of("bulky"), List.of(
        new StageDefinition("wait", context -> waited.add(context.jobId())
            ? StageOutcome.retryLater(Duration.ZERO, "x".repeat(64 * 1024))
            : StageOutcome.completed(Json.object()))));
    node = TestNode.start(new PipelineRegistry(List.of(pipeline, bulky)));
  }

  @AfterEach
  void stop() {
    gate.countDown();
    node.close();
  }

  private UUID submit(String payload) {
    return node.intake().submit(new NewJob(pipeline, "article", null,
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(payload), "fetch", 0));
  }

  private void submitBulky() {
    node.intake().submit(new NewJob(bulky, "bulky", null, Json.object(), "wait", 0));
  }

  private SseReader stream(String path, String key, Map<String, String> headers) {
    return SseReader.open(node.port(), path, key, headers);
  }

  @Test
  void a_job_stream_sends_a_snapshot_then_each_change_with_progress_then_the_result_and_ends() {
    UUID job = submit("{\"title\":\"t\"}");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'fetch' and status = 'processing'", job) == 1);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !reader.events().isEmpty());
      gate.countDown();
      await().atMost(Duration.ofSeconds(20)).until(reader::ended);

      List<SseReader.Event> events = reader.events();
      assertThat(reader.status()).isEqualTo(200);
      assertThat(events.get(0).name()).isEqualTo("snapshot");
      assertThat(events.get(0).json().path("status").asText()).isEqualTo("processing");
      assertThat(events).extracting(SseReader.Event::name).containsSubsequence(
          "snapshot", "completed", "queued", "processing", "completed", "queued", "processing", "completed",
          "job_completed", "result", "end");
      List<Long> ids = events.stream().filter(e -> e.id() != null && !e.name().equals("result") && !e.name().equals("snapshot"))
          .map(e -> Long.parseLong(e.id())).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      SseReader.Event last = events.stream().filter(e -> e.name().equals("job_completed")).findFirst().orElseThrow();
      assertThat(last.json().path("progress").path("percent").asInt()).isEqualTo(100);
      SseReader.Event result = events.stream().filter(e -> e.name().equals("result")).findFirst().orElseThrow();
      assertThat(result.json().path("status").asText()).isEqualTo("completed");
      assertThat(result.json().path("result").path("passed").asBoolean()).isTrue();
    }
  }

  @Test
  void each_of_many_open_job_streams_gets_its_own_jobs_changes_only_through_to_its_end() {
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      jobs.add(submit("{\"title\":\"t" + i + "\"}"));
    }
    List<SseReader> readers = new ArrayList<>();
    try {
      for (UUID job : jobs) {
        readers.add(stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> readers.stream().noneMatch(r -> r.events().isEmpty()));
      gate.countDown();
      await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().allMatch(SseReader::ended));

      for (int i = 0; i < jobs.size(); i++) {
        UUID job = jobs.get(i);
        List<SseReader.Event> changes = readers.get(i).events().stream()
            .filter(e -> !Set.of("snapshot", "result", "end").contains(e.name())).toList();
        assertThat(changes).extracting(e -> e.json().path("job_id").asText()).containsOnly(job.toString());
        assertThat(changes).extracting(SseReader.Event::name).contains("job_completed");
      }
    } finally {
      readers.forEach(SseReader::close);
    }
  }

  @Test
  void a_client_that_reconnects_with_its_last_event_id_gets_every_change_it_missed() {
    gate.countDown();
    UUID job = submit("{\"title\":\"t\",\"skipCheck\":true}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    long fetchCompleted = TestDatabase.count(
        "select seq from job_events where job_id = ? and stage = 'fetch' and event_type = 'completed'", job);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY,
        Map.of("Last-Event-ID", Long.toString(fetchCompleted)))) {
      await().atMost(Duration.ofSeconds(10)).until(reader::ended);

      List<String> missed = reader.events().stream()
          .filter(e -> !e.name().equals("snapshot") && !e.name().equals("result") && !e.name().equals("end"))
          .map(e -> e.json().path("stage").asText() + ":" + e.name()).toList();
      assertThat(missed).containsExactlyElementsOf(TestDatabase.jdbi().withHandle(h -> h.createQuery(
              "select coalesce(stage, '') || ':' || event_type from job_events where job_id = :id and seq > :after order by seq")
          .bind("id", job).bind("after", fetchCompleted).mapTo(String.class).list()));
      assertThat(missed).contains("check:skipped", "write:job_completed");
    }
  }

  @Test
  void a_change_that_commits_while_a_job_stream_opens_is_sent_after_the_snapshot() {
    UUID job = submit("{\"title\":\"t\"}");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'fetch' and status = 'processing'", job) == 1);

    // a transition that has taken its sequence number but not committed when the stream reads the job
    try (Handle inFlight = TestDatabase.jdbi().open()) {
      inFlight.begin();
      inFlight.createUpdate("update jobs set updated_at = now() where id = :id").bind("id", job).execute();
      inFlight.createUpdate("""
              insert into job_events (job_id, pipeline, stage, event_type, message)
              values (:id, 'content', 'fetch', 'note', 'committed while the stream opened')""")
          .bind("id", job).execute();
      try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !reader.events().isEmpty());
        inFlight.commit();

        await().atMost(Duration.ofSeconds(10)).until(() ->
            reader.events().stream().anyMatch(e -> e.name().equals("note")));
        assertThat(reader.events().get(0).name()).isEqualTo("snapshot");
      }
    }
  }

  @Test
  void a_job_stream_starts_after_the_jobs_last_change_its_snapshot_shows_and_sends_none_of_them_again() {
    UUID job = submit("{\"title\":\"t\"}");
    UUID other = submit("{\"title\":\"other\"}");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_stages where stage = 'fetch' and status = 'processing'") == 2);

    try (SseReader otherStream = stream("/api/v1/jobs/" + other + "/stream", TestNode.ANON_KEY, Map.of());
         Handle holder = TestDatabase.jdbi().open()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !otherStream.events().isEmpty());  // the feed is live
      // another job's change numbered first and not committed: the feed waits at its number
      holder.begin();
      note(holder, other, "held");
      long seen = TestDatabase.jdbi().inTransaction(h -> note(h, job, "seen"));

      try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !reader.events().isEmpty());
        holder.commit();
        gate.countDown();
        await().atMost(Duration.ofSeconds(20)).until(reader::ended);

        assertThat(reader.events().get(0).name()).isEqualTo("snapshot");
        assertThat(reader.events().get(0).id()).isEqualTo(Long.toString(seen));
        assertThat(reader.events()).extracting(SseReader.Event::name).doesNotContain("seen").contains("job_completed");
      }
    }
  }

  /** A change of the job, written as the engine writes one (the job's row held); its number. */
  private static long note(Handle h, UUID job, String type) {
    h.createUpdate("update jobs set updated_at = now() where id = :id").bind("id", job).execute();
    return h.createQuery("""
            insert into job_events (job_id, pipeline, stage, event_type, message)
            values (:id, 'content', 'fetch', :type, :type) returning seq""")
        .bind("id", job).bind("type", type).mapTo(Long.class).one();
  }

  @Test
  void a_finished_job_with_nothing_missed_gets_its_snapshot_and_the_end() {
    gate.countDown();
    UUID job = submit("{\"title\":\"t\"}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);

    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(reader::ended);
      assertThat(reader.events()).extracting(SseReader.Event::name).containsExactly("snapshot", "end");
      assertThat(reader.events().get(0).json().path("progress").path("percent").asInt()).isEqualTo(100);
    }
  }

  @Test
  void the_stream_of_every_change_is_for_the_service_key_and_filters_by_stage() {
    try (SseReader anon = stream("/api/v1/stream", TestNode.ANON_KEY, Map.of());
         SseReader writes = stream("/api/v1/stream?stage=write", TestNode.SERVICE_KEY, Map.of());
         SseReader all = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of())) {
      assertThat(anon.status()).isEqualTo(403);
      gate.countDown();
      UUID job = submit("{\"title\":\"t\"}");

      await().atMost(Duration.ofSeconds(20)).until(() ->
          all.events().stream().anyMatch(e -> e.name().equals("job_completed") && e.json().path("job_id").asText().equals(job.toString())));
      await().atMost(Duration.ofSeconds(20)).until(() -> writes.events().stream().anyMatch(e -> e.name().equals("completed")));
      assertThat(writes.events()).allSatisfy(e -> assertThat(e.json().path("stage").asText()).isEqualTo("write"));
      assertThat(all.events()).extracting(e -> e.json().path("stage").asText()).contains("fetch", "write", "check");
    }
  }

  @Test
  void finished_jobs_whose_result_reads_wait_on_the_database_hold_back_no_other_stream() {
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {  // why six: more than the writers that drain every stream (four)
      jobs.add(submit("{\"title\":\"t" + i + "\"}"));
    }
    List<SseReader> readers = new ArrayList<>();
    try (Handle blocker = TestDatabase.jdbi().open();
         SseReader all = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of())) {
      for (UUID job : jobs) {
        SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of());
        readers.add(reader);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reader.events().isEmpty());
      }
      // why llm_calls: a finished job's result is read with its AI usage, and this pipeline's stages never touch it
      blocker.begin();
      blocker.execute("lock table llm_calls in access exclusive mode");
      gate.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> readers.stream().allMatch(r ->
          r.events().stream().anyMatch(e -> e.name().equals("job_completed"))));

      UUID later = submit("{\"title\":\"later\"}");
      await().atMost(Duration.ofSeconds(20)).until(() -> all.events().stream().anyMatch(e ->
          e.name().equals("job_completed") && e.json().path("job_id").asText().equals(later.toString())));
      assertThat(readers).noneMatch(SseReader::ended);

      blocker.rollback();
      await().atMost(Duration.ofSeconds(20)).until(() -> readers.stream().allMatch(SseReader::ended));
      assertThat(readers).allMatch(r -> r.events().stream().anyMatch(e -> e.name().equals("result")));
    } finally {
      readers.forEach(SseReader::close);
    }
  }

  @Test
  void a_finished_jobs_result_read_that_waits_past_the_read_timeout_is_given_up_and_the_stream_ends() {
    node.close();
    node = TestNode.start(new PipelineRegistry(List.of(pipeline, bulky)), Map.of("PLANPERFECT_SSE_READ_TIMEOUT_SECONDS", "1"));
    UUID job = submit("{\"title\":\"t\"}");
    try (Handle blocker = TestDatabase.jdbi().open();
         SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !reader.events().isEmpty());
      // why llm_calls: a finished job's result is read with its AI usage, and this pipeline's stages never touch it
      blocker.begin();
      blocker.execute("lock table llm_calls in access exclusive mode");
      gate.countDown();

      await().atMost(Duration.ofSeconds(15)).until(reader::ended);
      assertThat(reader.events()).extracting(SseReader.Event::name).contains("job_completed").doesNotContain("result");
      blocker.rollback();
    }
  }

  @Test
  void bad_stream_requests_are_refused_with_a_json_error() {
    Http http = new Http(node.port(), TestNode.ANON_KEY);
    assertThat(http.get("/api/v1/jobs/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
    assertThat(http.get("/api/v1/jobs/not-a-uuid/stream").json().path("field").asText()).isEqualTo("id");
    Http.Response bad = http.get("/api/v1/jobs/" + UUID.randomUUID() + "/stream?last_event_id=soon");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("field").asText()).isEqualTo("Last-Event-ID");
    assertThat(new Http(node.port(), null).get("/api/v1/stream").status()).isEqualTo(401);
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);
    Http.Response notIds = service.get("/api/v1/stream?jobs=" + UUID.randomUUID() + ",nope");
    assertThat(notIds.status()).isEqualTo(400);
    assertThat(notIds.json().path("field").asText()).isEqualTo("jobs");
    String tooMany = String.join(",", java.util.stream.Stream.generate(() -> UUID.randomUUID().toString())
        .limit(EventStreams.MAX_STREAM_JOBS + 1).toList());
    assertThat(service.get("/api/v1/stream?jobs=").json().path("field").asText()).isEqualTo("jobs");
    Http.Response many = service.get("/api/v1/stream?jobs=" + tooMany);
    assertThat(many.status()).isEqualTo(400);
    assertThat(many.json().path("field").asText()).isEqualTo("jobs");
  }

  @Test
  void a_job_stream_whose_result_cannot_be_read_still_ends() throws Exception {
    UUID job = submit("{\"title\":\"t\"}");
    String usage = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select pg_get_functiondef('job_llm_usage(uuid)'::regprocedure)").mapTo(String.class).one());
    try (SseReader reader = stream("/api/v1/jobs/" + job + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !reader.events().isEmpty());
      // why this function: the result is read with the job's AI usage, and nothing else on the job's way calls it
      execute("create or replace function job_llm_usage(p_job uuid) returns jsonb language plpgsql stable as "
          + "$$ begin raise exception 'usage unavailable'; end $$");
      gate.countDown();

      await().atMost(Duration.ofSeconds(20)).until(reader::ended);
      assertThat(reader.events()).extracting(SseReader.Event::name).contains("job_completed", "end").doesNotContain("result");
    } finally {
      execute(usage);
    }
  }

  /** Plain JDBC: the text is a function's body, which Jdbi would read for named parameters. */
  private static void execute(String sql) throws java.sql.SQLException {
    try (Handle h = TestDatabase.jdbi().open(); java.sql.Statement statement = h.getConnection().createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void a_stream_of_some_jobs_gets_their_changes_and_none_of_the_others() {
    UUID first = submit("{\"title\":\"first\"}");
    UUID second = submit("{\"title\":\"second\"}");
    try (SseReader some = stream("/api/v1/stream?jobs=" + first + "," + second, TestNode.SERVICE_KEY, Map.of());
         SseReader all = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> some.status() == 200 && all.status() == 200);
      UUID other = submit("{\"title\":\"other\"}");
      gate.countDown();  // why only now: every job finishes after both streams opened

      await().atMost(Duration.ofSeconds(20)).until(() -> List.of(first, second, other).stream().allMatch(job ->
          all.events().stream().anyMatch(e -> e.name().equals("job_completed") && e.json().path("job_id").asText().equals(job.toString()))));
      await().atMost(Duration.ofSeconds(20)).until(() -> List.of(first, second).stream().allMatch(job ->
          some.events().stream().anyMatch(e -> e.name().equals("job_completed") && e.json().path("job_id").asText().equals(job.toString()))));
      assertThat(some.events()).extracting(e -> e.json().path("job_id").asText())
          .containsOnly(first.toString(), second.toString());
    }
  }

  @Test
  void the_ticks_stream_says_changed_on_opening_then_once_a_tick_while_jobs_change_not_once_a_change() {
    try (SseReader anon = stream("/api/v1/ticks/stream", TestNode.ANON_KEY, Map.of());
         SseReader ticks = stream("/api/v1/ticks/stream", TestNode.SERVICE_KEY, Map.of());
         SseReader all = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of())) {
      assertThat(anon.status()).isEqualTo(403);
      await().atMost(Duration.ofSeconds(10)).until(() -> ticks.events().size() == 1 && all.status() == 200);
      assertThat(ticks.events().get(0).name()).isEqualTo("changed");
      pause(ChangeTicks.TICK.multipliedBy(3));
      assertThat(ticks.events()).as("ticks while nothing changed").hasSize(1);

      gate.countDown();
      List<UUID> jobs = java.util.stream.IntStream.range(0, 20).mapToObj(i -> submit("{\"title\":\"t" + i + "\"}")).toList();
      await().atMost(Duration.ofSeconds(30)).until(() -> all.events().stream().filter(e -> e.name().equals("job_completed")).count()
          == jobs.size());
      await().atMost(Duration.ofSeconds(5)).until(() -> ticks.events().size() > 1);
      pause(ChangeTicks.TICK.multipliedBy(3));
      assertThat(ticks.events()).extracting(SseReader.Event::name).containsOnly("changed");
      assertThat(ticks.events().size()).as("ticks for %d changes", all.events().size()).isLessThan(all.events().size() / 4);
      int afterTheWork = ticks.events().size();
      pause(ChangeTicks.TICK.multipliedBy(4));
      assertThat(ticks.events()).as("ticks once the jobs are done").hasSize(afterTheWork);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void open_streams_hold_no_thread_each() throws Exception {
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    List<Socket> sockets = new ArrayList<>();
    try {
      // one at a time: a burst of connections grows the server's request pool, which is not what is measured
      for (int i = 0; i < 200; i++) {
        Socket socket = rawStream("/api/v1/stream?pipeline=none-such", 0);
        sockets.add(socket);
        assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
      }
      int threadsOpen = ManagementFactory.getThreadMXBean().getThreadCount();
      assertThat(threadsOpen - threadsBefore).as("threads added by 200 open streams").isLessThan(20);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void a_client_catching_up_from_far_back_gets_the_whole_trail_in_order() {
    gate.countDown();
    for (int i = 0; i < 120; i++) {
      submit("{\"title\":\"t\"}");
    }
    await().atMost(Duration.ofSeconds(60)).until(() ->
        TestDatabase.count("select count(*) from jobs where status = 'completed'") == 120);
    List<Long> trail = TestDatabase.jdbi().withHandle(h ->
        h.createQuery("select seq from job_events order by seq").mapTo(Long.class).list());
    assertThat(trail.size()).isGreaterThan(1_000);

    try (SseReader reader = stream("/api/v1/stream", TestNode.SERVICE_KEY, Map.of("Last-Event-ID", "0"))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> reader.events().size() >= trail.size());
      assertThat(reader.events()).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(trail);
    }
  }

  @Test
  void a_client_that_falls_behind_has_its_stream_ended_instead_of_buffered() throws Exception {
    gate.countDown();
    // why 64 KB reasons: the socket buffers of both ends take megabytes before the server queues anything
    for (int i = 0; i < BULKY_JOBS; i++) {
      submitBulky();
    }
    await().atMost(Duration.ofSeconds(60)).until(() ->
        TestDatabase.count("select count(*) from jobs where status = 'completed'") == BULKY_JOBS);

    try (Socket socket = rawStream("/api/v1/stream", 1024)) {
      Thread.sleep(SseChannel.SLOW_CLIENT_GRACE.toMillis() + 3_000);
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(received);
      } catch (SocketException reset) {
        // the server closed the connection under the unsent data: what arrived before counts
      }
      long waits = received.toString(StandardCharsets.UTF_8).lines().filter(line -> line.equals("event: waiting")).count();
      assertThat(waits).as("bulky events the server sent before it closed the stream").isLessThan(BULKY_JOBS);
    }
  }

  /** An event stream on a plain socket (the service key, from the start of the trail): no client thread. */
  private Socket rawStream(String path, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", node.port()));
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        + "Authorization: Bearer " + TestNode.SERVICE_KEY + "\r\nLast-Event-ID: 0\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static String statusLine(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString().trim();
  }
}
