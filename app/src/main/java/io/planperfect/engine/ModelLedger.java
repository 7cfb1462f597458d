package io.planperfect.engine;

import io.planperfect.pipeline.ModelAdmission;
import io.planperfect.pipeline.ModelCall;
import io.planperfect.pipeline.ModelUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The usage ledger's table family ({@code llm_calls}, {@code llm_limits}, {@code llm_admissions},
 * the stage config's model columns): each attempt's model account, the admission of a call against
 * the budgets and limits every node shares ({@code admit_llm_call}, R__llm_usage.sql), the stage
 * config's provider, model and QA policy (read at most every {@link #CHOICES_TTL}), and the calls
 * written inside the transaction that ends the attempt ({@link StageTransitions}). An attempt that
 * makes no call costs no statement here.
 */
public final class ModelLedger {
  private static final String INSERT = """
      insert into llm_calls (job_id, pipeline, stage, attempt, provider, model, prompt_version, input_tokens,
                             output_tokens, cost_usd, latency_ms, outcome, error)
      values (:job, :pipeline, :stage, :attempt, :provider, :model, :promptVersion, :input, :output,
              llm_call_cost(:provider, :model, :input, :output), :latency, :outcome, :error)""";
  private static final String CHOICES = """
      select queue, stage, llm_provider, llm_model, qa_policy from content_stage_config
       where llm_provider is not null or llm_model is not null or qa_policy is not null""";
  /** How long a node keeps the stage config's model choices before it reads them again. */
  static final Duration CHOICES_TTL = Duration.ofSeconds(5);

  private final Jdbi jdbi;
  private final Clock clock;
  private volatile Choices choices = new Choices(Map.of(), Instant.MIN);

  public ModelLedger(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The model account of one attempt. */
  ModelUsage forAttempt(StageAttempt attempt) {
    return new AttemptUsage(attempt);
  }

  /** Writes an attempt's calls on the transaction's handle (nothing when there are none). */
  static void write(Handle h, StageAttempt attempt, List<ModelCall> calls) {
    if (calls.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(INSERT);
    for (ModelCall call : calls) {
      batch.bind("job", attempt.jobId()).bind("pipeline", attempt.pipeline().name()).bind("stage", attempt.stage())
          .bind("attempt", attempt.attempt()).bind("provider", call.provider()).bind("model", call.model())
          .bind("promptVersion", call.promptVersion()).bind("input", call.inputTokens())
          .bind("output", call.outputTokens()).bind("latency", call.latencyMillis()).bind("outcome", call.outcome())
          .bind("error", call.error()).add();
    }
    batch.execute();
  }

  ModelAdmission admit(String provider, UUID job, long estimatedTokens) {
    return jdbi.withHandle(h -> h.createQuery("select * from admit_llm_call(:provider, :job, :tokens)")
        .bind("provider", provider).bind("job", job).bind("tokens", estimatedTokens)
        .map((rs, ctx) -> switch (rs.getString("decision")) {
          case "admit" -> ModelAdmission.ADMIT;
          case "refuse" -> (ModelAdmission) new ModelAdmission.Refuse(rs.getString("reason"));
          default -> new ModelAdmission.Wait(Duration.ofMillis(Math.round(rs.getDouble("wait_seconds") * 1000)),
              rs.getString("reason"));
        })
        .one());
  }

  private Optional<String[]> choice(String queue, String stage) {
    Choices current = choices;
    Instant now = clock.instant();
    if (now.isAfter(current.readAt().plus(CHOICES_TTL))) {
      current = new Choices(jdbi.withHandle(h -> h.createQuery(CHOICES)
          .reduceRows(new java.util.HashMap<String, String[]>(), (map, row) -> {
            map.put(row.getColumn("queue", String.class) + "/" + row.getColumn("stage", String.class),
                new String[] {row.getColumn("llm_provider", String.class), row.getColumn("llm_model", String.class),
                    row.getColumn("qa_policy", String.class)});
            return map;
          })), now);
      choices = current;
    }
    return Optional.ofNullable(current.byStage().get(queue + "/" + stage));
  }

  private record Choices(Map<String, String[]> byStage, Instant readAt) {}

  /** One attempt's account: admissions through the database, calls kept until the attempt ends. */
  private final class AttemptUsage extends ModelUsage.InMemory {
    private final StageAttempt attempt;

    AttemptUsage(StageAttempt attempt) {
      super(Optional.empty(), Optional.empty());
      this.attempt = attempt;
    }

    @Override
    public ModelAdmission admit(String provider, long estimatedTokens) {
      return ModelLedger.this.admit(provider, attempt.jobId(), estimatedTokens);
    }

    @Override
    public Optional<String> stageProvider() {
      return choice(attempt.message().queue(), attempt.stage()).map(c -> c[0]);
    }

    @Override
    public Optional<String> stageModel() {
      return choice(attempt.message().queue(), attempt.stage()).map(c -> c[1]);
    }

    @Override
    public Optional<String> stageQaPolicy() {
      return choice(attempt.message().queue(), attempt.stage()).map(c -> c[2]);
    }
  }
}
