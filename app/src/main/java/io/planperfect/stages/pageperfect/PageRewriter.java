package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes rewrite_draft's plan and draft sections from a {@link RewriteBrief}. The offline writer is the
 * default; a language model joins through the shared LLM seam (package {@code io.planperfect.ai}) by
 * implementing this one method.
 */
@FunctionalInterface
public interface PageRewriter {
  /** The result: at least {@code writer}, {@code plan} and {@code sections}. */
  ObjectNode rewrite(RewriteBrief brief);
}
