package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What a {@link ComponentWriter} is asked to write: the page and the context-building stage's findings. */
public record PageBrief(PageType pageType, String subject, List<String> keywords, String language, String brandVoice,
    JsonNode context) {}
