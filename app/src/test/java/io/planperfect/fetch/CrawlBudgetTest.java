package io.planperfect.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.testing.LocalSite;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md S8, crawl budgets: hostile servers on the one allowed loopback address. Every fetch
 * ends at a cap (bytes, time, redirects) with a classified error, never a hang or an unbounded read.
 */
class CrawlBudgetTest {
  private static final long CAP = 1024 * 1024;
  private static final Duration TIME_CAP = Duration.ofSeconds(2);
  private LocalSite site;
  private GuardedFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    site = LocalSite.start();
    fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1"))
        .withMaxBytes(CAP).withTimeout(TIME_CAP), new TestResolver());
  }

  @AfterEach
  void stop() throws Exception {
    site.close();
  }

  @Test
  void an_endless_body_stops_at_the_byte_cap() {
    site.route("/endless", (request, out) -> {
      header(out, "Content-Type: text/html\r\n");
      byte[] chunk = "<p>more and more words</p>\n".repeat(2048).getBytes(StandardCharsets.UTF_8);
      while (true) {
        out.write(chunk);
      }
    });
    assertRule("/endless", "max_bytes");
  }

  @Test
  void an_announced_length_over_the_cap_is_refused_unread() {
    site.route("/big", (request, out) -> header(out, "Content-Type: text/html\r\nContent-Length: 999999999\r\n"));
    assertRule("/big", "max_bytes");
  }

  @Test
  void a_gzip_bomb_stops_at_the_cap_of_decoded_bytes() throws Exception {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 10; i++) {
        gzip.write(zeros);
      }
    }
    byte[] bomb = packed.toByteArray();
    assertThat(bomb.length).isLessThan(100_000);
    site.route("/bomb", (request, out) -> {
      header(out, "Content-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n");
      out.write(bomb);
      out.flush();
    });
    assertRule("/bomb", "max_bytes");
  }

  @Test
  void a_slow_drip_ends_at_the_time_cap_as_a_retryable_failure() {
    site.route("/drip", (request, out) -> {
      header(out, "Content-Type: text/html\r\n");
      while (true) {
        out.write('a');
        out.flush();
        Thread.sleep(300);
      }
    });
    long started = System.nanoTime();
    assertThatThrownBy(() -> fetcher.fetch(site.url("/drip"))).isInstanceOf(FetchFailed.class)
        .hasMessageContaining("time cap");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("S8 slow drip: aborted after " + took.toMillis() + " ms (cap " + TIME_CAP.toMillis() + " ms)");
    // why 3 s over the cap: a descheduled thread on a loaded machine; without the cap the drip never ends
    assertThat(took).isLessThan(TIME_CAP.plusSeconds(3));
  }

  @Test
  void a_redirect_loop_ends_at_five_hops() {
    site.redirect("/a", 302, "/b");
    site.redirect("/b", 302, "/a");
    assertRule("/a", "redirects");
    assertThat(site.requests().stream().filter(r -> !r.path().equals("/robots.txt")).count()).isEqualTo(6);
  }

  @Test
  void a_huge_header_is_abandoned_not_buffered() {
    site.route("/header", (request, out) -> {
      out.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Huge: ".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(65_536).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 1600; i++) { // 100 MiB of one header, unless the client hangs up first
        out.write(chunk);
      }
    });
    long started = System.nanoTime();
    assertThatThrownBy(() -> fetcher.fetch(site.url("/header"))).isInstanceOf(FetchFailed.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIME_CAP.plusSeconds(3));
  }

  @Test
  void a_page_of_ten_thousand_links_is_read_whole_within_the_cap() {
    StringBuilder html = new StringBuilder("<html><body>");
    for (int i = 0; i < 10_000; i++) {
      html.append("<a href=\"/p").append(i).append("\">p").append(i).append("</a>");
    }
    site.page("/links", html.append("</body></html>").toString());
    FetchedPage page = fetcher.fetch(site.url("/links"));
    assertThat(page.bytes()).isLessThanOrEqualTo(CAP);
    assertThat(page.body()).contains("/p9999");
  }

  private void assertRule(String path, String rule) {
    assertThatThrownBy(() -> fetcher.fetch(site.url(path)))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }

  private static void header(OutputStream out, String headers) throws java.io.IOException {
    out.write(("HTTP/1.1 200 OK\r\n" + headers + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
