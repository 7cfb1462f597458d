package io.planperfect.stages.pageperfect;

import io.planperfect.testing.LocalSite;
import java.io.IOException;
import java.util.List;

/**
 * A small site on related topics served by the test on 127.0.0.1: a balcony tomato guide that covers
 * containers, watering, cherry tomatoes and feeding but says nothing of pruning suckers (on purpose), a
 * pruning page, and a pepper page.
 */
public final class TomatoSite {
  public static final List<String> KEYWORDS = List.of("container gardening", "watering tomatoes", "cherry tomatoes",
      "tomato fertiliser", "pruning suckers", "prune tomato suckers");
  static final List<String> MISSING_TOPIC = List.of("pruning suckers", "prune tomato suckers");

  private TomatoSite() {}

  public static LocalSite start() throws IOException {
    LocalSite site = LocalSite.start();
    site.page("/tomatoes", """
        <html><head><title>Growing Tomatoes on a Balcony</title>
        <meta name="description" content="How to grow tomatoes on a balcony."></head>
        <body><nav><a href="/pruning">Pruning</a> <a href="/peppers">Peppers</a></nav><main>
        <h1>Growing tomatoes on a balcony</h1>
        <p>A sunny balcony is enough for a good harvest if you choose the right varieties and look after them.</p>
        <h2>Container gardening for tomatoes</h2>
        <p>Container gardening suits tomatoes well: choose deep containers of at least twenty litres, fill them with
        rich compost and make sure water drains freely through holes in the base.</p>
        <h2>Watering tomatoes</h2>
        <p>Watering tomatoes little and often keeps the fruit from splitting. Water in the morning, at the base of
        the stem, and never let the compost dry out completely in hot weather.</p>
        <h2>Cherry tomatoes for small spaces</h2>
        <p>Cherry tomatoes ripen early, crop for months and hang in trusses that fit a railing or a basket, which
        makes cherry varieties the first choice for small balconies.</p>
        <h2>Feeding with tomato fertiliser</h2>
        <p>Once the first flowers open, feed every week with a tomato fertiliser rich in potash; it sweetens the
        fruit and keeps leaves green through the summer.</p>
        </main><footer>Balcony Garden</footer></body></html>
        """);
    site.page("/pruning", """
        <html><head><title>Pruning tomato suckers</title></head><body><main><h1>Pruning suckers</h1>
        <p>Prune tomato suckers when they are small: pinch the shoot between the main stem and a leaf.</p>
        </main></body></html>
        """);
    site.page("/peppers", """
        <html><head><title>Peppers in pots</title></head><body><main><h1>Peppers</h1>
        <p>Peppers like the same deep containers as tomatoes but need more warmth to ripen their fruit.</p>
        </main></body></html>
        """);
    return site;
  }
}
