package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Seed 004's GenerationJob as a payload: {@code pageType} (product, category, landing, blog),
 * {@code targetUrl} (http or https), {@code keywords} (1 to 50), {@code language} (a supported
 * one, default en), {@code brandVoice} (default {@link #DEFAULT_BRAND_VOICE}), {@code projectId},
 * {@code productData} and {@code seoData} (objects), {@code metadata} (skuCount, monthlySearches,
 * contentStatus missing|outdated|current), {@code deadline} (ISO-8601), {@code skipQualityCheck}
 * (also as {@code options.skipQualityCheck}). Intake stores the prioritizer's score and reasons in
 * {@code prioritization}, and the prioritizer's level is the job's priority when it gave none.
 */
public final class GenerationIntake implements IntakeRules {
  public static final List<String> SUPPORTED_LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da");
  static final String DEFAULT_LANGUAGE = "en";
  static final String DEFAULT_BRAND_VOICE = "clear, helpful and confident";
  static final int MAX_KEYWORDS = 50;
  private static final Set<String> CONTENT_STATUSES = Set.of("missing", "outdated", "current");

  private final GenerationPrioritizer prioritizer;

  GenerationIntake(GenerationPrioritizer prioritizer) {
    this.prioritizer = prioritizer;
  }

  @Override
  public ObjectNode validate(ObjectNode payload) {
    check(payload);
    payload.set("prioritization", prioritizer.score(payload).toJson());
    return payload;
  }

  @Override
  public Integer defaultPriority(ObjectNode payload) {
    return prioritizer.score(payload).level().value();
  }

  /** Checks seed 004's fields (InvalidField naming the first bad one) and fills the language's default. */
  static void check(ObjectNode payload) {
    String pageType = Fields.requiredText(payload, "pageType", "payload.pageType");
    if (PageType.parse(pageType).isEmpty()) {
      throw new InvalidField("payload.pageType", "payload.pageType must be one of " + PageType.labels() + ", got '" + pageType + "'");
    }
    payload.put("pageType", PageType.parse(pageType).get().label());
    targetUrl(Fields.requiredText(payload, "targetUrl", "payload.targetUrl"));
    if (Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS) == null) {
      throw new InvalidField("payload.keywords", "payload.keywords is required");
    }
    String language = Fields.optionalText(payload, "language", "payload.language");
    if (language != null && !SUPPORTED_LANGUAGES.contains(language.toLowerCase(Locale.ROOT))) {
      throw new InvalidField("payload.language",
          "payload.language must be one of " + SUPPORTED_LANGUAGES + ", got '" + language + "'");
    }
    payload.put("language", language == null ? DEFAULT_LANGUAGE : language.toLowerCase(Locale.ROOT));
    Fields.optionalText(payload, "brandVoice", "payload.brandVoice");
    Fields.optionalText(payload, "projectId", "payload.projectId", 200);
    optionalObject(payload, "productData", "payload.productData");
    optionalObject(payload, "seoData", "payload.seoData");
    metadata(payload);
    deadline(Fields.optionalText(payload, "deadline", "payload.deadline"));
    Fields.optionalBoolean(payload, "skipQualityCheck", "payload.skipQualityCheck");
    JsonNode options = optionalObject(payload, "options", "payload.options");
    if (options != null) {
      Fields.optionalBoolean(options, "skipQualityCheck", "payload.options.skipQualityCheck");
    }
  }

  private static void metadata(ObjectNode payload) {
    JsonNode metadata = optionalObject(payload, "metadata", "payload.metadata");
    if (metadata == null) {
      return;
    }
    Fields.optionalLong(metadata, "skuCount", "payload.metadata.skuCount", 0, Long.MAX_VALUE);
    Fields.optionalLong(metadata, "monthlySearches", "payload.metadata.monthlySearches", 0, Long.MAX_VALUE);
    String status = Fields.optionalText(metadata, "contentStatus", "payload.metadata.contentStatus");
    if (status != null && !CONTENT_STATUSES.contains(status)) {
      throw new InvalidField("payload.metadata.contentStatus",
          "payload.metadata.contentStatus must be one of " + CONTENT_STATUSES.stream().sorted().toList());
    }
  }

  private static void targetUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (url.length() > 2_048 || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new InvalidField("payload.targetUrl", "payload.targetUrl must be an absolute http or https URL of at most 2048 characters");
    }
  }

  static OffsetDateTime deadline(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidField("payload.deadline", "payload.deadline must be an ISO-8601 timestamp with offset, e.g. 2026-11-23T09:00:00Z");
    }
  }

  private static JsonNode optionalObject(JsonNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw new InvalidField(path, path + " must be a JSON object");
    }
    return value;
  }
}
