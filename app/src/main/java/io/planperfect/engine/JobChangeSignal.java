package io.planperfect.engine;

/**
 * Told after a commit that wrote job events, so that the change feed reads them at once instead of
 * at its fallback timer. Only a hint: nothing is lost when it is not called.
 */
@FunctionalInterface
public interface JobChangeSignal {
  JobChangeSignal NONE = () -> {};

  void changed();
}
