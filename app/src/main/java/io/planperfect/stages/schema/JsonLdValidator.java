package io.planperfect.stages.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Checks generated JSON-LD for the properties each type requires and recommends. */
final class JsonLdValidator {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int HEADLINE_LIMIT = 110;

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  record Report(List<String> errors, List<String> warnings) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  static Report validate(JsonNode jsonLd, SchemaType type) {
    JsonLdValidator validator = new JsonLdValidator();
    validator.checkCommon(jsonLd, type);
    switch (type) {
      case ARTICLE, BLOG_POSTING -> validator.checkArticle(jsonLd);
      case WEB_PAGE -> validator.require(jsonLd, "name");
      case PRODUCT -> validator.checkProduct(jsonLd);
      case FAQ_PAGE -> validator.checkFaqPage(jsonLd);
      case HOW_TO -> validator.checkHowTo(jsonLd);
    }
    return new Report(List.copyOf(validator.errors), List.copyOf(validator.warnings));
  }

  private void checkCommon(JsonNode jsonLd, SchemaType type) {
    if (!ArticleMarkup.CONTEXT.equals(jsonLd.path("@context").asText())) {
      errors.add("@context must be " + ArticleMarkup.CONTEXT);
    }
    if (!type.label.equals(jsonLd.path("@type").asText())) {
      errors.add("@type must be " + type.label);
    }
    if (!roundTrips(jsonLd)) {
      errors.add("the markup does not serialise to valid JSON");
    }
  }

  private void checkArticle(JsonNode jsonLd) {
    if (require(jsonLd, "headline") && jsonLd.get("headline").asText().length() > HEADLINE_LIMIT) {
      warnings.add("headline is longer than " + HEADLINE_LIMIT + " characters");
    }
    for (String recommended : List.of("author", "datePublished", "image")) {
      if (!jsonLd.hasNonNull(recommended)) {
        warnings.add(recommended + " is recommended but missing");
      }
    }
  }

  private void checkProduct(JsonNode jsonLd) {
    require(jsonLd, "name");
    JsonNode offers = jsonLd.path("offers");
    if (offers.isMissingNode()) {
      warnings.add("offers is recommended but missing");
      return;
    }
    if (require(offers, "price") && !offers.get("price").asText().matches("\\d+(\\.\\d+)?")) {
      errors.add("offers.price must be a number, got '" + offers.get("price").asText() + "'");
    }
    if (require(offers, "priceCurrency") && !offers.get("priceCurrency").asText().matches("[A-Z]{3}")) {
      errors.add("offers.priceCurrency must be a three-letter ISO 4217 code");
    }
  }

  private void checkFaqPage(JsonNode jsonLd) {
    JsonNode questions = jsonLd.path("mainEntity");
    if (!questions.isArray() || questions.isEmpty()) {
      errors.add("mainEntity must list at least one Question (give faq or keywords)");
      return;
    }
    for (JsonNode question : questions) {
      require(question, "name");
      require(question.path("acceptedAnswer"), "text");
    }
  }

  private void checkHowTo(JsonNode jsonLd) {
    require(jsonLd, "name");
    JsonNode steps = jsonLd.path("step");
    if (!steps.isArray() || steps.isEmpty()) {
      errors.add("step must list at least one HowToStep (give steps or keywords)");
      return;
    }
    steps.forEach(step -> require(step, "text"));
  }

  /** Records an error when the property is missing or blank; true when it is present. */
  private boolean require(JsonNode node, String property) {
    if (node.hasNonNull(property) && !node.get(property).asText().isBlank()) {
      return true;
    }
    errors.add(property + " is required");
    return false;
  }

  private static boolean roundTrips(JsonNode jsonLd) {
    try {
      return MAPPER.readTree(MAPPER.writeValueAsString(jsonLd)).equals(jsonLd);
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
