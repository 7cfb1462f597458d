package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes rewrite_draft's plan and draft sections from a {@link RewriteBrief}: the {@link OfflinePageRewriter},
 * or the stage's model ({@link ModelPageRewriter}) when one is configured for rewrite_draft.
 */
@FunctionalInterface
public interface PageRewriter {
  /** The result: at least {@code writer}, {@code plan} and {@code sections}. */
  ObjectNode rewrite(RewriteBrief brief);
}
