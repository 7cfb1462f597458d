package io.planperfect.engine;

import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's claim: ready messages of one stage, never past the stage's limit across all nodes,
 * each with its attempt begun in the same transaction (claim_stage_attempts, V14) — one round trip
 * and one commit. A message whose job is finished or whose stage is done is archived unrun; a stage
 * begun max_attempts times without finishing comes back {@link StageAttempt#exhausted()}.
 */
public final class StageClaims {
  private static final Logger log = LoggerFactory.getLogger(StageClaims.class);

  // positional: bound by HotStatement on the handle's connection (see there why not Jdbi's named binds)
  private static final String CLAIM = """
      select * from claim_stage_attempts(?, ?, ?, ?, ?, ?, ?, ?)""";

  private final Jdbi jdbi;
  private final PipelineRegistry pipelines;
  private final RetryPolicy retryPolicy;
  private final JobChangeSignal changes;

  public StageClaims(Jdbi jdbi, PipelineRegistry pipelines, RetryPolicy retryPolicy, JobChangeSignal changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.pipelines = pipelines;
    this.retryPolicy = retryPolicy;
  }

  /** What one claim took: the attempts begun, and how many messages it archived unrun. */
  public record Claimed(List<StageAttempt> attempts, int discarded) {
    public int size() {
      return attempts.size() + discarded;
    }
  }

  /**
   * Claims up to {@code qty} messages of the stage and begins their attempts. {@code maxOverride} is
   * this node's environment override of max_concurrency; {@code viaEndpoint} is true for claims made
   * by the stage's HTTP worker endpoint.
   */
  public Claimed claim(String queue, String stage, Duration visibility, int qty, Integer maxOverride, boolean viaEndpoint) {
    PipelineDefinition pipeline = pipelines.forQueue(queue);
    RetrySettings defaults = retryDefaults(pipeline, stage);
    List<Optional<StageAttempt>> rows = jdbi.withHandle(h -> {
      try (PreparedStatement call = h.getConnection().prepareStatement(CLAIM)) {
        call.setString(1, queue);
        call.setString(2, stage);
        call.setDouble(3, visibility.toMillis() / 1000.0);
        call.setInt(4, qty);
        HotStatement.setInteger(call, 5, maxOverride);
        call.setBoolean(6, viaEndpoint);
        HotStatement.setInteger(call, 7, defaults.maxAttempts());
        HotStatement.setInteger(call, 8, defaults.retryDelaySeconds());
        List<Optional<StageAttempt>> claimed = new ArrayList<>(qty);
        try (ResultSet rs = call.executeQuery()) {
          while (rs.next()) {
            claimed.add(fromRow(rs, pipeline));
          }
        }
        return claimed;
      } catch (SQLException e) {
        throw new StatementFailed("claiming up to " + qty + " of " + queue + ":" + stage, e);
      }
    });
    List<StageAttempt> attempts = rows.stream().flatMap(Optional::stream).toList();
    if (!attempts.isEmpty()) {
      changes.changed();  // the claim wrote their "processing" events
    }
    return new Claimed(attempts, rows.size() - attempts.size());
  }

  /** The code's retry settings for the stage: its definition's, else its pipeline's, else the node's. */
  RetrySettings retryDefaults(PipelineDefinition pipeline, String stage) {
    RetrySettings defined = pipeline.hasStage(stage) ? pipeline.retryFor(stage) : pipeline.retry();
    return defined.orElse(retryPolicy.settings());
  }

  /** One row of claim_stage_attempts: the begun attempt, or empty for a message archived unrun. */
  static Optional<StageAttempt> fromRow(ResultSet rs, PipelineDefinition pipeline) throws SQLException {
    return "discarded".equals(rs.getString("outcome")) ? discarded(rs) : Optional.of(attempt(rs, pipeline));
  }

  private static Optional<StageAttempt> discarded(ResultSet rs) throws SQLException {
    log.info("archived message {} of job {} stage {} unrun: job finished or missing, or stage done",
        rs.getLong("msg_id"), rs.getObject("job_id"), rs.getString("stage"));
    return Optional.empty();
  }

  private static StageAttempt attempt(ResultSet rs, PipelineDefinition pipeline) throws SQLException {
    QueueMessage message = MessageQueue.toMessage(rs);
    return new StageAttempt(message, pipeline, rs.getString("job_type"), rs.getInt("attempt"), rs.getInt("max_attempts"),
        rs.getInt("job_priority"), Duration.ofSeconds(rs.getInt("retry_delay_seconds")),
        (ObjectNode) Json.read(rs.getString("job_payload")), results(rs.getString("results")));
  }

  private static Map<String, JsonNode> results(String json) {
    Map<String, JsonNode> results = new HashMap<>();
    Json.read(json).fields().forEachRemaining(e -> results.put(e.getKey(), e.getValue()));
    return results;
  }
}
