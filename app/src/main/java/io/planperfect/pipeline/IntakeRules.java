package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A pipeline's intake: which payload fields its jobs take, how they are checked and what they
 * default to, and the rows it writes beside the job. Every intake route and batch goes through it.
 */
public interface IntakeRules {
  /** Accepts any JSON object as the payload and writes nothing else. */
  IntakeRules ANY_OBJECT = payload -> payload;

  /**
   * Checks the job's payload (always a JSON object) and returns it with defaults filled in (it may
   * return the same object, changed); throws {@link InvalidField} naming the first bad field.
   */
  ObjectNode validate(ObjectNode payload);

  /**
   * Runs in the intake transaction after the job and its stage rows were inserted (a page
   * record, a batch row): if it throws, nothing of the job is stored. The default writes nothing.
   */
  default void accepted(Handle transaction, UUID jobId, ObjectNode payload) {}

  /**
   * The priority of a job that gave none (a number on {@link Priority}'s scale), judged on its
   * payload as sent (before {@link #validate}); null: {@link Priority#NORMAL}.
   */
  default Integer defaultPriority(ObjectNode payload) {
    return null;
  }
}
