package io.planperfect.stages.generation;

/**
 * Writes a page's components. The seam between component-generation and whoever writes: the
 * built-in {@link OfflineComponentWriter} by default; the node points it at the shared LLM seam
 * when a model is configured. A failure thrown here is retried by the stage's retry policy.
 */
@FunctionalInterface
public interface ComponentWriter {
  PageComponents write(PageBrief brief) throws Exception;
}
