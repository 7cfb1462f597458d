package io.planperfect.engine;

/**
 * Named moments in an attempt's life where a fault test can step in: RELIABILITY.md R2 kills
 * worker JVMs exactly there, to show that no moment loses a job or applies a result twice.
 * Nodes run with {@link #NONE}; the hooks are never configured from the environment.
 */
@FunctionalInterface
public interface StageHooks {
  StageHooks NONE = new StageHooks() {
    @Override
    public void reached(Point point, StageAttempt attempt) {}

    @Override
    public boolean watchesUncommitted() {
      return false;
    }
  };

  enum Point {
    /** The claim that began the attempt has committed; the handler has not started. */
    CLAIMED,
    /** The successful transition has run inside its transaction, which has not committed. */
    RESULT_UNCOMMITTED,
    /** The transition has committed; the node has not yet freed its runner nor announced the slot. */
    RESULT_COMMITTED
  }

  void reached(Point point, StageAttempt attempt);

  /**
   * Whether these hooks step in at {@link Point#RESULT_UNCOMMITTED}. Only then does a successful
   * transition run in a transaction the node commits itself (two round trips more, with the job's
   * events numbered and not yet committed in between); otherwise the call commits by itself, as in
   * production. Hooks that only note the other points say false.
   */
  default boolean watchesUncommitted() {
    return true;
  }
}
