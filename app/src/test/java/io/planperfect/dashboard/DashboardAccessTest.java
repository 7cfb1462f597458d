package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.Sessions;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's login wall, session cookie, CSRF tokens and the anon key's limits, over plain HTTP. */
class DashboardAccessTest {
  private static PlanPerfectNode node;
  private Browser browser;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void newBrowser() {
    browser = new Browser(node.port());
  }

  @Test
  void without_a_session_every_page_leads_to_the_login_and_only_the_login_and_static_files_answer() {
    for (String path : List.of("/", "/jobs", "/generate", "/dead-letters", "/scheduler", "/stages", "/no-such-page",
        "/jobs/progress?ids=x", "/overview/charts", "/batches")) {
      Browser.Page page = browser.get(path);
      assertThat(page.status()).as(path).isEqualTo(302);
      assertThat(page.header("Location")).as(path).hasValue("/login");
    }
    assertThat(browser.get("/login").status()).isEqualTo(200);
    assertThat(browser.get("/assets/dashboard.css").status()).isEqualTo(200);
    assertThat(browser.get("/assets/dashboard.js").status()).isEqualTo(200);
    assertThat(browser.get(Layout.HTMX).status()).isEqualTo(200);
    assertThat(browser.get(Layout.CHART_JS).status()).isEqualTo(200);
    assertThat(browser.post("/generate", Map.of("title", "t", "keywords", "k")).status()).isEqualTo(401);
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void a_wrong_key_gets_no_cookie() {
    Browser.Page page = browser.login("not-a-key");
    assertThat(page.status()).isEqualTo(401);
    assertThat(page.header("Set-Cookie")).isEmpty();
    assertThat(page.body()).contains("neither the service key nor the anon key").doesNotContain(TestNode.SERVICE_KEY);
  }

  @Test
  void the_session_cookie_is_http_only_same_site_strict_signed_and_expiring() {
    Browser.Page page = browser.login(TestNode.SERVICE_KEY);
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.header("Location")).hasValue("/");
    String setCookie = page.header("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("pp_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
        .contains("Path=/").contains("Max-Age=" + Sessions.LIFETIME.toSeconds())
        .doesNotContain(TestNode.SERVICE_KEY).doesNotContain(TestNode.ANON_KEY);
    assertThat(browser.get("/").status()).isEqualTo(200);

    String signed = browser.cookie();
    browser.cookie(signed.replace("SERVICE.", "ANON."));
    assertThat(browser.get("/jobs").status()).as("an altered cookie").isEqualTo(302);
    browser.cookie(signed.substring(0, signed.length() - 2) + "xx");
    assertThat(browser.get("/jobs").status()).as("a forged signature").isEqualTo(302);

    ApiKeys keys = new ApiKeys(TestNode.SERVICE_KEY, TestNode.ANON_KEY);
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    String cookie = new Sessions(keys, Clock.fixed(now, ZoneOffset.UTC)).login(TestNode.SERVICE_KEY).orElseThrow();
    assertThat(new Sessions(keys, Clock.fixed(now.plus(Sessions.LIFETIME).minusSeconds(1), ZoneOffset.UTC)).verify(cookie))
        .isPresent();
    assertThat(new Sessions(keys, Clock.fixed(now.plus(Sessions.LIFETIME), ZoneOffset.UTC)).verify(cookie)).isEmpty();
    assertThat(new Sessions(new ApiKeys("another-service-key", TestNode.ANON_KEY), Clock.fixed(now, ZoneOffset.UTC))
        .verify(cookie)).as("a changed service key ends every session").isEmpty();
  }

  @Test
  void a_state_changing_request_without_the_sessions_csrf_token_changes_nothing() {
    browser.login(TestNode.SERVICE_KEY);
    String csrf = browser.get("/stages").csrf();
    int before = (int) TestDatabase.count("select max_concurrency from content_stage_config where queue = 'content' and stage = 'draft'");

    Browser.Page missing = browser.post("/stages/content/draft", Map.of("max_concurrency", "7"));
    Browser.Page wrong = browser.post("/stages/content/draft", Map.of("max_concurrency", "7", "_csrf", "x" + csrf));
    Browser other = new Browser(node.port());
    other.login(TestNode.SERVICE_KEY);
    Browser.Page otherSessions = browser.post("/stages/content/draft", Map.of("max_concurrency", "7", "_csrf",
        other.get("/stages").csrf()));

    assertThat(List.of(missing.status(), wrong.status(), otherSessions.status())).containsOnly(403);
    assertThat(missing.body()).contains("CSRF");
    assertThat(TestDatabase.count("select max_concurrency from content_stage_config where queue = 'content' and stage = 'draft'"))
        .isEqualTo(before);

    Browser.Page ok = browser.post("/stages/content/draft", Map.of("max_concurrency", "7", "_csrf", csrf));
    assertThat(ok.status()).isEqualTo(302);
    assertThat(TestDatabase.count("select max_concurrency from content_stage_config where queue = 'content' and stage = 'draft'"))
        .isEqualTo(7);
  }

  @Test
  void the_anon_key_sees_jobs_and_generate_only() {
    Browser.Page login = browser.login(TestNode.ANON_KEY);
    assertThat(login.header("Location")).hasValue("/jobs");
    assertThat(browser.get("/jobs").status()).isEqualTo(200);
    Browser.Page generate = browser.get("/generate");
    assertThat(generate.status()).isEqualTo(200);
    assertThat(generate.body()).doesNotContain("href=\"/stages\"").doesNotContain("href=\"/dead-letters\"")
        .as("no pipeline takes job type generation here").doesNotContain("generation-form");
    for (String path : List.of("/", "/dead-letters", "/scheduler", "/stages", "/overview/charts")) {
      assertThat(browser.get(path).status()).as(path).isEqualTo(403);
    }
    String csrf = generate.csrf();
    assertThat(browser.post("/stages/content/draft", Map.of("max_concurrency", "9", "_csrf", csrf)).status()).isEqualTo(403);
    assertThat(browser.post("/jobs/bulk", Map.of("action", "retry", "_csrf", csrf)).status()).isEqualTo(403);
  }

  @Test
  void the_event_streams_take_the_session_cookie_and_no_other_api_route_does() {
    browser.login(TestNode.SERVICE_KEY);
    assertThat(browser.get("/api/v1/stages").status()).as("the API wants its bearer key").isEqualTo(401);
    var stream = io.planperfect.testing.SseReader.open(node.port(), "/api/v1/stream", null,
        Map.of("Cookie", "pp_session=" + browser.cookie()));
    try (stream) {
      org.awaitility.Awaitility.await().until(() -> stream.status() != 0);
      assertThat(stream.status()).isEqualTo(200);
    }

    Browser anon = new Browser(node.port());
    anon.login(TestNode.ANON_KEY);
    var refused = io.planperfect.testing.SseReader.open(node.port(), "/api/v1/stream", null,
        Map.of("Cookie", "pp_session=" + anon.cookie()));
    try (refused) {
      org.awaitility.Awaitility.await().until(() -> refused.status() != 0);
      assertThat(refused.status()).as("the whole feed needs the service key").isEqualTo(403);
    }
  }

  @Test
  void logout_clears_the_cookie() {
    browser.login(TestNode.SERVICE_KEY);
    String csrf = browser.get("/jobs").csrf();
    Browser.Page out = browser.post("/logout", Map.of("_csrf", csrf));
    assertThat(out.status()).isEqualTo(302);
    assertThat(out.header("Location").orElseThrow()).startsWith("/login");
    assertThat(out.header("Set-Cookie").orElseThrow()).startsWith("pp_session=;").contains("Expires=Thu, 01 Jan 1970");
  }

  @Test
  void pages_forbid_framing_and_foreign_scripts() {
    browser.login(TestNode.SERVICE_KEY);
    Browser.Page page = browser.get("/jobs");
    assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(page.header("X-Frame-Options")).hasValue("DENY");
  }
}
