package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.fetch.FetchRefused;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A PagePerfect job's payload (seed 002's intake): {@code url} or {@code pageId} (a known page record);
 * {@code keywords} optional (1 to 50; derived from the page when absent); {@code skipSteps} naming stages
 * that have a skip predicate; {@code ignoreRobots}, {@code eps}, {@code minPts}, {@code gapThreshold}
 * optional. A URL the fetcher refuses by rule is refused here. Accepted, the job's page record is
 * resolved or created ({@link PageRecords}) in the intake transaction.
 */
final class PagePerfectIntake implements IntakeRules {
  static final int MAX_KEYWORDS = 50;
  static final int MAX_URL = 2_048;

  private final GuardedFetcher fetcher;
  private final Set<String> stages;
  private final Set<String> skippable;

  PagePerfectIntake(GuardedFetcher fetcher, List<String> stages, Set<String> skippable) {
    this.fetcher = fetcher;
    this.stages = Set.copyOf(stages);
    this.skippable = Set.copyOf(skippable);
  }

  @Override
  public ObjectNode validate(ObjectNode payload) {
    String url = Fields.optionalText(payload, "url", "payload.url", MAX_URL);
    UUID pageId = Fields.optionalUuid(payload, "pageId", "payload.pageId");
    if ((url == null || url.isBlank()) && pageId == null) {
      throw new InvalidField("payload.url", "payload.url or payload.pageId is required");
    }
    if (url != null && !url.isBlank()) {
      payload.put("url", checked(url, "payload.url"));
    }
    Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS);
    skipSteps(payload);
    Fields.optionalBoolean(payload, "ignoreRobots", "payload.ignoreRobots");
    fraction(payload, "eps", 0.01, 2.0);
    fraction(payload, "gapThreshold", 0.0, 1.0);
    Fields.optionalInteger(payload, "minPts", "payload.minPts", 1, 50);
    return payload;
  }

  @Override
  public void accepted(Handle transaction, UUID jobId, ObjectNode payload) {
    PageRecords records = new PageRecords(transaction);
    if (payload.hasNonNull("url")) {
      payload.put("page_id", records.resolve(payload.get("url").asText(), jobId).toString());
    } else {
      UUID pageId = UUID.fromString(payload.get("pageId").asText());
      String url = records.url(pageId).orElseThrow(() -> new InvalidField("payload.pageId", "no page " + pageId));
      payload.put("url", checked(url, "payload.pageId"));
      payload.put("page_id", pageId.toString());
      records.touch(pageId, jobId);
    }
    records.recordPayload(jobId, payload);
  }

  /** The URL normalised, or the rule that refuses it. */
  private String checked(String url, String field) {
    try {
      String normalised = fetcher.normalise(url);
      fetcher.check(normalised);
      return normalised;
    } catch (FetchRefused e) {
      throw new InvalidField(field, field + " is refused: " + e.getMessage());
    }
  }

  private void skipSteps(ObjectNode payload) {
    List<String> steps = Fields.optionalStrings(payload, SkipSteps.FIELD, "payload.skipSteps", 0, stages.size());
    if (steps == null) {
      return;
    }
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i);
      String path = "payload.skipSteps[" + i + "]";
      if (!stages.contains(step)) {
        throw new InvalidField(path, path + " must be one of " + skippable + ", got '" + step + "'");
      }
      if (!skippable.contains(step)) {
        throw new InvalidField(path, "stage " + step + " cannot be skipped; skippable: " + skippable);
      }
    }
  }

  private static void fraction(JsonNode payload, String name, double min, double max) {
    JsonNode value = payload.get(name);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw new InvalidField("payload." + name, "payload." + name + " must be a number from " + min + " to " + max);
    }
  }
}
