package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.engine.ScheduledJobs;
import io.planperfect.engine.Sweeper;
import io.planperfect.json.Json;
import io.planperfect.scheduler.RunContext;
import io.planperfect.scheduler.ScheduledAction;

/**
 * Seed 003's {@code content_pipeline_main} ("main content automation", {@code trigger_content_automation()}):
 * promotes the scheduled jobs whose time has come, then repairs jobs whose message went missing.
 * Its result, {@code {"promoted": n, "orphans_requeued": m}}, is the run's summary in job_runs.
 */
public final class ContentAutomation implements ScheduledAction {
  private final ScheduledJobs scheduledJobs;
  private final Sweeper sweeper;

  public ContentAutomation(ScheduledJobs scheduledJobs, Sweeper sweeper) {
    this.scheduledJobs = scheduledJobs;
    this.sweeper = sweeper;
  }

  @Override
  public ObjectNode run(RunContext run) {
    int promoted = scheduledJobs.promoteDue();
    int repaired = sweeper.repairOrphans();
    return Json.object().put("promoted", promoted).put("orphans_requeued", repaired);
  }
}
