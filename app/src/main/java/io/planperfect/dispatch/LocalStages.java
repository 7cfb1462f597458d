package io.planperfect.dispatch;

/** The stages this node works in-process, and how to wake their claim loops. */
public interface LocalStages {
  boolean runsLocally(String queue, String stage);

  void wake(String queue, String stage);
}
