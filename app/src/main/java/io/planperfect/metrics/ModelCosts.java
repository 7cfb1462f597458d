package io.planperfect.metrics;

import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prices of {@code llm_prices} (per million tokens, a {@code '*'} model for every model of a
 * provider), as {@code llm_call_cost} applies them to the ledger, kept for {@link #TTL} so the cost
 * meter reads the table at most once a minute and only while stages call models.
 */
public final class ModelCosts {
  static final Duration TTL = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(ModelCosts.class);

  private record Price(double inputPerMillion, double outputPerMillion) {}

  private final Jdbi jdbi;
  private volatile Map<String, Price> prices = Map.of();
  private volatile long readAtNanos;
  private volatile boolean read;

  public ModelCosts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** What the call cost in US dollars, or 0 when no price is known for its provider. */
  double costUsd(String provider, String model, long inputTokens, long outputTokens) {
    Map<String, Price> current = current();
    Price price = current.getOrDefault(provider + "/" + model, current.get(provider + "/*"));
    return price == null ? 0 : (price.inputPerMillion() * inputTokens + price.outputPerMillion() * outputTokens) / 1e6;
  }

  private Map<String, Price> current() {
    if (!read || System.nanoTime() - readAtNanos > TTL.toNanos()) {
      synchronized (this) {
        if (!read || System.nanoTime() - readAtNanos > TTL.toNanos()) {
          refresh();
        }
      }
    }
    return prices;
  }

  private void refresh() {
    readAtNanos = System.nanoTime();
    read = true;
    try {
      prices = jdbi.withHandle(h -> h.createQuery("select provider, model, input_per_million, output_per_million from llm_prices")
          .reduceRows(new java.util.HashMap<String, Price>(), (map, row) -> {
            map.put(row.getColumn("provider", String.class) + "/" + row.getColumn("model", String.class),
                new Price(row.getColumn("input_per_million", Double.class), row.getColumn("output_per_million", Double.class)));
            return map;
          }));
    } catch (RuntimeException e) {
      log.warn("could not read llm_prices for the cost meter, keeping the last prices: {}", e.toString());
    }
  }
}
