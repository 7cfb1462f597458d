package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import io.planperfect.stages.StageModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.planperfect.stages.Text;
import io.planperfect.stages.writer.OfflineWriter;

/**
/**
 * Records the job's inputs, facts about each keyword and the given sources; each source with an
 * address is read through the guarded fetcher (title, headings, key passages) when the pipeline has
 * one. With a model, its notes are the model's summary of them ({@code prompts/content/research.v1.txt}).
 */
public final class ResearchStage implements CompletingStage {
  static final Prompt PROMPT = Prompt.load("content/research", "v1");
  private static final int MAX_TOKENS = 800;
  private final StageModel model;
  private final SourceReader reader;

  /** Offline, sources listed and not fetched. */
  public ResearchStage() {
    this(StageModel.offline());
  }

  /** Sources listed, not fetched. */
  public ResearchStage(StageModel model) {
    this(model, SourceReader.RECORD_ONLY);
  }

  ResearchStage(StageModel model, SourceReader reader) {
    this.model = model;
    this.reader = reader;
  }

  @Override
  public ObjectNode result(StageContext context) {
    ArticleInputs inputs = ArticleJob.of(context).inputs();
    ObjectNode result = build(inputs, reader);
    Optional<ModelSession> session = model.open(context);
    if (session.isPresent()) {
      String answer = session.get().ask(PROMPT.id(), PROMPT.render(promptValues(inputs, result), MAX_TOKENS));
      result.set("notes", Json.strings(noteLines(answer)));
      result.set("model", session.get().describe(PROMPT.id()));
    }
    return result;
  }

  private static Map<String, String> promptValues(ArticleInputs inputs, ObjectNode research) {
    StringBuilder facts = new StringBuilder();
    for (var fact : research.path("keyword_facts")) {
      facts.append("- ").append(fact.path("keyword").asText()).append(" (related: ")
          .append(String.join(", ", Json.textList(fact.path("related_terms")))).append(")\n");
    }
    StringBuilder sources = new StringBuilder();
    for (var source : research.path("sources")) {
      sources.append("- ").append(source.isTextual() ? source.asText() : source.path("url").asText(source.toString())).append('\n');
    }
    return Map.of("title", inputs.title(), "audience", ContentPrompts.audience(inputs), "tone", ContentPrompts.tone(inputs),
        "word_count", String.valueOf(inputs.wordCount()), "facts", facts.toString().strip(),
        "sources", sources.length() == 0 ? "(none)" : sources.toString().strip());
  }

  /** The answer's lines, list markers stripped, blank lines dropped. */
  static List<String> noteLines(String answer) {
    return answer.lines().map(line -> line.strip().replaceFirst("^([-*•]|\\d+[.)])\\s*", "").strip())
        .filter(line -> !line.isEmpty()).toList();
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
