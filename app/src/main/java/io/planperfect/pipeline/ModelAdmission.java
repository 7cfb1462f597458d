package io.planperfect.pipeline;

import java.time.Duration;

/** Whether a stage may call a provider now, as the budgets and limits shared by every node say. */
public sealed interface ModelAdmission {
  /** Call. */
  record Admit() implements ModelAdmission {}

  /** Not now: a rate limit or the daily budget; the stage asks to be run again after the delay. */
  record Wait(Duration delay, String reason) implements ModelAdmission {}

  /** Never for this job: its cost cap is spent; the stage fails for good. */
  record Refuse(String reason) implements ModelAdmission {}

  ModelAdmission ADMIT = new Admit();
}
