package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Promotes jobs scheduled for later whose time has come: in bounded batches, each one
 * transaction, the due rows are claimed ({@code for update skip locked}), set queued, sent their
 * first stage's message by intake's own code and given a "promoted" event; the work is announced
 * after commit. Any number of nodes may promote at once: each job is promoted exactly once.
 */
public final class ScheduledJobs {
  static final int BATCH = 500;

  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final PipelineRegistry pipelines;
  private final Intake intake;

  private record FirstStage(PipelineDefinition pipeline, String stage) {}

  public ScheduledJobs(Jdbi jdbi, JobRepository jobs, PipelineRegistry pipelines, Intake intake) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.pipelines = pipelines;
    this.intake = intake;
  }

  /** Promotes every scheduled job (of this node's pipelines) due by now; returns how many it promoted. */
  public int promoteDue() {
    int total = 0;
    int promoted;
    do {
      promoted = promoteBatch();
      total += promoted;
    } while (promoted == BATCH);
    return total;
  }

  private int promoteBatch() {
    List<String> names = pipelines.all().stream().map(PipelineDefinition::name).toList();
    Set<FirstStage> stages = new LinkedHashSet<>();
    int promoted = jdbi.inTransaction(h -> {
      List<JobRepository.PromotedJob> due = jobs.promoteDue(h, names, BATCH);
      for (JobRepository.PromotedJob job : due) {
        PipelineDefinition pipeline = pipelines.byName(job.pipeline()).orElseThrow();
        intake.sendFirstMessage(h, pipeline, job.id(), job.stage(), job.payload(), job.priority());
        jobs.event(h, job.id(), job.pipeline(), job.stage(), "promoted", "Scheduled time reached; job queued", null);
        stages.add(new FirstStage(pipeline, job.stage()));
      }
      return due.size();
    });
    stages.forEach(s -> intake.announceFirstMessage(s.pipeline(), s.stage()));
    if (promoted > 0) {
      intake.changesCommitted();
    }
    return promoted;
  }
}
