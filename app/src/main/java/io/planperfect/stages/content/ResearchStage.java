package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import io.planperfect.stages.writer.OfflineWriter;

/**
 * Records the job's inputs, facts about each keyword and the given sources; each source with an
 * address is read through the guarded fetcher (title, headings, key passages) when the pipeline has one.
 */
public final class ResearchStage implements CompletingStage {
  private final SourceReader reader;

  /** Sources are listed, not fetched. */
  public ResearchStage() {
    this(SourceReader.RECORD_ONLY);
  }

  ResearchStage(SourceReader reader) {
    this.reader = reader;
  }

  @Override
  public ObjectNode result(StageContext context) {
    return build(ArticleJob.of(context).inputs(), reader);
  }

  /** Without fetching (a later stage rebuilding research for a job that started after it). */
  static ObjectNode build(ArticleInputs inputs) {
    return build(inputs, SourceReader.RECORD_ONLY);
  }

  static ObjectNode build(ArticleInputs inputs, SourceReader reader) {
    ObjectNode result = Json.object();
    result.set("inputs", recordedInputs(inputs));
    result.set("keyword_facts", keywordFacts(inputs));
    ArrayNode sources = SourceList.normalise(inputs.sources());
    int read = reader.read(sources, inputs.keywords());
    result.set("sources", sources);
    result.set("notes", notes(inputs, sources.size(), reader.fetches() ? read : -1));
    return result;
  }

  private static ObjectNode recordedInputs(ArticleInputs inputs) {
    ObjectNode recorded = Json.object();
    recorded.put("title", inputs.title());
    recorded.set("keywords", Json.strings(inputs.keywords()));
    recorded.put("domain", inputs.domain());
    recorded.put("audience", inputs.audience());
    recorded.put("tone", inputs.tone());
    recorded.put("word_count", inputs.wordCount());
    return recorded;
  }

  private static ArrayNode keywordFacts(ArticleInputs inputs) {
    OfflineWriter writer = inputs.writer();
    ArrayNode facts = Json.array();
    for (String keyword : inputs.keywords()) {
      ObjectNode fact = facts.addObject();
      fact.put("keyword", keyword);
      fact.put("normalised", Text.normalise(keyword));
      fact.put("word_count", Text.wordCount(keyword));
      fact.put("slug", Text.slug(keyword));
      fact.set("related_terms", Json.strings(writer.relatedTerms(keyword)));
      fact.put("suggested_heading", writer.sectionHeading(keyword));
    }
    return facts;
  }

  private static ArrayNode notes(ArticleInputs inputs, int sourceCount, int read) {
    ArrayNode notes = Json.array();
    int perKeyword = inputs.wordCount() / inputs.keywords().size();
    notes.add("Target of " + inputs.wordCount() + " words across " + inputs.keywords().size()
        + " keyword(s), about " + perKeyword + " words of budget per keyword.");
    notes.add(sourceCount == 0
        ? "No sources were given; the draft relies on the built-in offline writer."
        : read < 0 ? sourceCount + " source(s) recorded; addresses are listed, not fetched."
        : sourceCount + " source(s) recorded; " + read + " read through the guarded fetcher, the others unreachable,"
            + " refused or given as text.");
    if (inputs.domain() == null) {
      notes.add("No domain was given, so exports carry no page address.");
    }
    return notes;
  }
}
