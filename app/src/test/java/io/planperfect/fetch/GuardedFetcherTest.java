package io.planperfect.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.testing.LocalSite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetcher against a site on 127.0.0.1 (the one address allowed) and a listener on 127.0.0.2 that
 * the guard must refuse: every refusal is asserted with both listeners' accept counts and the
 * fetcher's connect counter, so a broken guard fails here, never on the network.
 */
class GuardedFetcherTest {
  private LocalSite site;
  private LocalSite refusedListener;
  private TestResolver names;
  private GuardedFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    site = LocalSite.start();
    refusedListener = LocalSite.startOn("127.0.0.2");
    refusedListener.page("/", "<html><title>secret</title></html>");
    names = new TestResolver().name("site.test", "127.0.0.1");
    fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32")), names);
  }

  @AfterEach
  void stop() throws Exception {
    site.close();
    refusedListener.close();
  }

  @Test
  void an_allowed_page_is_read_with_our_user_agent() {
    site.page("/hello", "<html><title>Hello</title><body>Tomatoes</body></html>");
    FetchedPage page = fetcher.fetch("http://site.test:" + site.port() + "/hello");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.isHtml()).isTrue();
    assertThat(page.body()).contains("Tomatoes");
    assertThat(site.requests()).anySatisfy(r -> {
      assertThat(r.path()).isEqualTo("/hello");
      assertThat(r.headers().get("user-agent")).startsWith("PlanPerfectBot/");
    });
  }

  @Test
  void a_loopback_address_outside_the_allow_list_is_refused_before_any_connection() {
    assertRefused(refusedListener.url("/"), "loopback");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:%d/", "http://[::1]:%d/", "http://[::ffff:127.0.0.2]:%d/",
      "http://[::ffff:7f00:2]:%d/", "http://[::127.0.0.2]:%d/", "http://0x7f.2:%d/", "http://2130706434:%d/",
      "http://0177.0.0.2:%d/", "http://127.2:%d/", "http://127.000.000.002:%d/", "http://017700000002:%d/",
      "http://0x7f000002:%d/", "http://%%31%%32%%37.0.0.2:%d/", "http://127%%2E0%%2E0%%2E2:%d/",
      "http://127\u30020\u30020\u30022:%d/", "http://user:pw@127.0.0.1:%d/", "http://127.0.0.2\\@127.0.0.1:%d/x"})
  void odd_spellings_of_a_refused_loopback_address_are_refused(String template) {
    names.name("localhost", "127.0.0.2");
    String url = String.format(template, refusedListener.port());
    assertThatThrownBy(() -> fetcher.fetch(url)).isInstanceOf(FetchRefused.class);
    assertThat(refusedListener.accepted()).isZero();
    assertThat(fetcher.connectAttempts()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.251",
      "0.0.0.0", "fd00::1", "fe80::1", "ff02::1", "::", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "2002:a9fe:a9fe::",
      "64:ff9b::a9fe:a9fe"})
  void names_that_resolve_to_internal_addresses_are_refused(String address) {
    names.name("inside.test", address);
    assertThatThrownBy(() -> fetcher.fetch("http://inside.test/"))
        .isInstanceOf(FetchRefused.class)
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("fetch refused by rule");
    assertThat(fetcher.connectAttempts()).isZero();
  }

  @Test
  void metadata_names_and_addresses_are_refused_as_link_local() {
    names.name("metadata.google.internal", "169.254.169.254");
    assertRefused("http://metadata.google.internal/computeMetadata/v1/", "link_local");
    assertRefused("http://169.254.169.254/latest/meta-data/", "link_local");
    assertRefused("http://[fd00:ec2::254]/latest/meta-data/", "private");
  }

  @Test
  void a_name_with_one_internal_answer_among_public_ones_is_refused() {
    names.name("mixed.test", "127.0.0.1", "10.0.0.7");
    assertRefused("http://mixed.test:" + site.port() + "/", "private");
  }

  @Test
  void a_rebinding_name_is_resolved_once_and_connected_to_at_that_address() {
    site.page("/", "<html><title>first answer</title></html>");
    names.rebinding("rebind.test", List.of("127.0.0.1"), List.of("127.0.0.2"));
    FetchedPage page = fetcher.fetch("http://rebind.test:" + site.port() + "/");
    assertThat(page.body()).contains("first answer");
    assertThat(names.lookups()).isEqualTo(1);
    assertThat(refusedListener.accepted()).isZero();
    assertRefused("http://rebind.test:" + refusedListener.port() + "/", "loopback");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "gopher://127.0.0.1/", "ftp://127.0.0.1/", "jar:http://127.0.0.1!/",
      "data:text/html,hi", "javascript:alert(1)", "ws://127.0.0.1/"})
  void schemes_other_than_http_and_https_are_refused(String url) {
    assertRefused(url, "scheme");
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void a_redirect_to_a_refused_address_is_refused_before_connecting_there(int status) {
    site.redirect("/go", status, refusedListener.url("/"));
    assertThatThrownBy(() -> fetcher.fetch(site.url("/go")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("loopback"));
    assertThat(refusedListener.accepted()).isZero();
  }

  @Test
  void redirects_to_metadata_and_other_schemes_are_refused() {
    site.redirect("/meta", 302, "http://169.254.169.254/latest/meta-data/");
    site.redirect("/file", 302, "file:///etc/passwd");
    assertThatThrownBy(() -> fetcher.fetch(site.url("/meta")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("link_local"));
    assertThatThrownBy(() -> fetcher.fetch(site.url("/file")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("scheme"));
  }

  @Test
  void five_redirects_are_followed_and_a_sixth_is_refused() {
    for (int hop = 0; hop < 6; hop++) {
      site.redirect("/hop" + hop, 302, "/hop" + (hop + 1));
    }
    site.page("/hop5", "<html>five</html>");
    site.page("/hop6", "<html>six</html>");
    FetchedPage five = fetcher.fetch(site.url("/hop0"));
    assertThat(five.redirects()).hasSize(5);
    assertThat(five.finalUrl()).endsWith("/hop5");
    site.redirect("/hop5", 302, "/hop6");
    assertThatThrownBy(() -> fetcher.fetch(site.url("/hop0")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("redirects"));
  }

  @Test
  void only_html_and_text_are_read_as_pages() {
    site.route("/bin", (request, out) -> LocalSite.write(out, 200, "application/octet-stream", "xx"));
    site.route("/txt", (request, out) -> LocalSite.write(out, 200, "text/plain", "plain words"));
    assertThatThrownBy(() -> fetcher.fetch(site.url("/bin")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("content_type"));
    assertThat(fetcher.fetch(site.url("/txt")).body()).isEqualTo("plain words");
    assertThat(fetcher.fetch(site.url("/bin"), FetchOptions.CALLBACK).body()).isEqualTo("xx");
  }

  @Test
  void robots_txt_is_honoured_unless_the_job_says_otherwise() {
    site.route("/robots.txt", (request, out) -> LocalSite.write(out, 200, "text/plain",
        "User-agent: *\nDisallow: /private\n"));
    site.page("/private/page", "<html>hidden</html>");
    site.page("/public", "<html>open</html>");
    assertThat(fetcher.fetch(site.url("/public")).body()).contains("open");
    assertThatThrownBy(() -> fetcher.fetch(site.url("/private/page")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("robots"));
    assertThat(fetcher.fetch(site.url("/private/page"), FetchOptions.PAGE_IGNORING_ROBOTS).body()).contains("hidden");
  }

  @Test
  void a_host_name_in_the_allow_list_reaches_a_private_address() {
    site.page("/", "<html>intranet</html>");
    names.name("intranet.test", "127.0.0.1");
    GuardedFetcher byName = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("intranet.test")), names);
    assertThat(byName.fetch("http://intranet.test:" + site.port() + "/").body()).contains("intranet");
    assertThatThrownBy(() -> byName.fetch(site.url("/")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("loopback"));
  }

  @Test
  void by_default_nothing_internal_is_reachable() {
    GuardedFetcher strict = new GuardedFetcher(FetchPolicy.defaults(), names);
    assertThatThrownBy(() -> strict.fetch(site.url("/")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("loopback"));
    assertThat(site.accepted()).isZero();
  }

  @Test
  void check_refuses_by_rule_without_connecting_and_lets_an_unresolvable_name_pass() {
    assertThatThrownBy(() -> fetcher.check(refusedListener.url("/")))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo("loopback"));
    fetcher.check("http://not-yet-resolvable.test/");
    fetcher.check(site.url("/"));
    assertThat(site.accepted()).isZero();
    assertThat(fetcher.connectAttempts()).isZero();
  }

  @Test
  void a_post_is_guarded_like_a_page_and_follows_no_redirect() {
    site.route("/hook", (request, out) -> LocalSite.write(out, 204, "text/plain", ""));
    site.redirect("/moved", 307, refusedListener.url("/"));
    FetchedPage answer = fetcher.post(site.url("/hook"), "application/json", "{}".getBytes(), Map.of("X-Signature", "s"));
    assertThat(answer.status()).isEqualTo(204);
    assertThat(site.requests()).anySatisfy(r -> assertThat(r.headers().get("x-signature")).isEqualTo("s"));
    assertThat(fetcher.post(site.url("/moved"), "application/json", "{}".getBytes(), Map.of()).status()).isEqualTo(307);
    assertThatThrownBy(() -> fetcher.post(refusedListener.url("/"), "application/json", "{}".getBytes(), Map.of()))
        .isInstanceOf(FetchRefused.class);
    assertThat(refusedListener.accepted()).isZero();
  }

  private void assertRefused(String url, String rule) {
    long before = fetcher.connectAttempts();
    assertThatThrownBy(() -> fetcher.fetch(url))
        .isInstanceOfSatisfying(FetchRefused.class, e -> assertThat(e.rule()).isEqualTo(rule));
    assertThat(fetcher.connectAttempts()).isEqualTo(before);
    assertThat(refusedListener.accepted()).isZero();
  }
}
