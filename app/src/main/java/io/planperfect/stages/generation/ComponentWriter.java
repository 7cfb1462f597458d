package io.planperfect.stages.generation;

/**
 * Writes a page's components: the built-in {@link OfflineComponentWriter}, or the stage's model
 * ({@link ModelComponentWriter}) when one is configured for component-generation. A failure thrown
 * here is retried by the stage's retry policy.
 */
@FunctionalInterface
public interface ComponentWriter {
  PageComponents write(PageBrief brief) throws Exception;
}
