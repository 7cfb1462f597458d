package io.planperfect.stages.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A schema job's payload: {@code title} required; {@code keywords} (1 to 50 strings),
 * {@code domain}, {@code url}, {@code schema_type} (one of {@link SchemaType}), {@code price} (a
 * non-negative number, or its decimal text such as "12.50") and {@code currency} (an ISO 4217 code
 * such as "EUR") optional. Other fields are kept for the stages.
 */
public final class SchemaIntake implements IntakeRules {
  static final int MAX_KEYWORDS = 50;
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,15}(\\.\\d{1,6})?");
  private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
      .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

  @Override
  public ObjectNode validate(ObjectNode payload) {
    Fields.requiredText(payload, "title", "payload.title");
    Fields.optionalStrings(payload, "keywords", "payload.keywords", 1, MAX_KEYWORDS);
    Fields.optionalText(payload, "domain", "payload.domain");
    Fields.optionalText(payload, "url", "payload.url", 2_048);
    schemaType(payload);
    price(payload);
    currency(payload);
    return payload;
  }

  private static void schemaType(ObjectNode payload) {
    String type = Fields.optionalText(payload, "schema_type", "payload.schema_type");
    if (type != null && SchemaType.parse(type).isEmpty()) {
      throw new InvalidField("payload.schema_type", "payload.schema_type must be one of " + SchemaType.labels());
    }
  }

  private static void price(ObjectNode payload) {
    JsonNode price = payload.get("price");
    if (price == null || price.isNull()) {
      return;
    }
    boolean valid = price.isNumber() ? price.decimalValue().signum() >= 0 && price.decimalValue().compareTo(BigDecimal.valueOf(1e15)) < 0
        : price.isTextual() && DECIMAL.matcher(price.asText()).matches();
    if (!valid) {
      throw new InvalidField("payload.price", "payload.price must be a non-negative number such as 12.50 (a decimal point, no"
          + " thousands separators or currency sign)");
    }
  }

  private static void currency(ObjectNode payload) {
    String currency = Fields.optionalText(payload, "currency", "payload.currency");
    if (currency != null && !CURRENCIES.contains(currency)) {
      throw new InvalidField("payload.currency", "payload.currency must be an ISO 4217 code in capitals, such as USD or EUR");
    }
  }
}
