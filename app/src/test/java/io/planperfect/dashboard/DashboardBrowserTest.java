package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (headless chromium): the login wall, an article submitted from the
 * form whose bar reaches 100% without a reload, a dead letter replayed, a stage limit changed, and
 * the anon key's narrower view. Each test leaves screenshots under target/screenshots/.
 */
@Tag("browser")
class DashboardBrowserTest {
  private static final AtomicBoolean FAIL = new AtomicBoolean(true);
  private static final PipelineDefinition FLAKY = new PipelineDefinition("flaky", "flaky", List.of("flaky"), List.of(
      new StageDefinition("work", context -> {
        if (FAIL.get()) {
          throw new PermanentStageFailure("upstream said no (HTTP 503)");
        }
        return StageOutcome.completed(Json.object().put("done", true));
      })));

  private static PlanPerfectNode node;
  private static ChromeBrowser browser;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition(), FLAKY)));
    browser = new ChromeBrowser(node.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    node.close();
  }

  @BeforeEach
  void loggedOut() {
    browser.driver.manage().deleteAllCookies();
  }

  @Test
  void nothing_opens_without_a_login_and_a_wrong_key_is_refused() {
    browser.open("/stages");
    assertThat(browser.path()).isEqualTo("/login");
    browser.open("/jobs");
    assertThat(browser.path()).isEqualTo("/login");
    browser.screenshot("login");

    browser.driver.findElement(By.id("api_key")).sendKeys("a-guess");
    browser.driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    assertThat(browser.driver.findElement(By.cssSelector(".flash.error")).getText()).contains("neither");
    browser.open("/");
    assertThat(browser.path()).isEqualTo("/login");
  }

  @Test
  void an_article_submitted_from_the_form_shows_its_bar_reach_100_percent_without_a_reload() {
    // why paused: the job must still be running when the page opens, so the bar has to move live
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = false where queue = 'content' and stage = 'export'"));
    browser.login(TestNode.SERVICE_KEY);
    browser.open("/generate");
    browser.driver.findElement(By.name("title")).sendKeys("Composting in small gardens");
    browser.driver.findElement(By.name("keywords")).sendKeys("compost, small garden, soil");
    browser.driver.findElement(By.name("word_count")).sendKeys("600");
    browser.driver.findElement(By.cssSelector("#article-form button[type=submit]")).click();
    browser.waitUntil(d -> browser.path().startsWith("/generate?job="));
    browser.driver.executeScript("window.notReloaded = true;");
    UUID job = UUID.fromString(browser.path().substring("/generate?job=".length()));

    WebElement label = browser.driver.findElement(By.cssSelector(".progress[data-live-job] .label"));
    browser.waiting(Duration.ofSeconds(30)).until(d -> label.getText().equals("67%"));
    browser.screenshot("generate-running");
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = true where queue = 'content' and stage = 'export'"));
    browser.waiting(Duration.ofSeconds(60)).until(d -> label.getText().equals("100%"));
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
    assertThat(browser.driver.findElement(By.cssSelector("[data-job-status] .tag")).getText()).isEqualTo("completed");
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job)).isEqualTo(1);
    browser.screenshot("generate");

    browser.open("/jobs/" + job);
    browser.waitUntil(d -> d.findElements(By.cssSelector("table.timeline tbody tr")).size() == 6);
    assertThat(browser.driver.findElement(By.cssSelector("article.rendered")).getText()).isNotBlank();
    assertThat(browser.driver.findElements(By.cssSelector("article.rendered script"))).isEmpty();
    browser.screenshot("job-detail");

    browser.open("/jobs?q=composting");
    assertThat(browser.driver.findElements(By.cssSelector("tr[data-row-job]"))).hasSize(1);
    browser.screenshot("jobs");

    browser.open("/");
    browser.waitUntil(d -> !d.findElements(By.cssSelector("tr[data-stage]")).isEmpty());
    browser.waitUntil(d -> Boolean.TRUE.equals(browser.driver.executeScript(
        "return !!(window.Chart && Chart.getChart('throughput-chart'));")));
    long draftsDone = TestDatabase.count("select count(*) from job_events where pipeline = 'content' and stage = 'draft'"
        + " and event_type = 'completed' and created_at > now() - interval '1 hour'");
    assertThat(draftsDone).isPositive();
    assertThat(browser.text("tr[data-stage='content/draft'] td.done")).isEqualTo(Long.toString(draftsDone));
    browser.screenshot("overview");
  }

  @Test
  void the_job_lists_bars_follow_running_jobs_for_the_service_and_the_anon_key() {
    listFollows(TestNode.SERVICE_KEY, "Live rows for the service key", "open");
    browser.screenshot("jobs-live");
    listFollows(TestNode.ANON_KEY, "Live rows for the anon key", "polling");
  }

  /** A job held before its qa stage shows 50% in the list; released, its row reaches 100% without a reload. */
  private void listFollows(String key, String title, String feed) {
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = false where queue = 'content' and stage = 'qa'"));
    UUID job = node.intake().submit(new NewJob(ContentPipeline.definition(), "article", null,
        (ObjectNode) Json.read("{\"title\":\"" + title + "\",\"keywords\":[\"rows\"]}"), "research", 0));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'qa' and status = 'queued'", job) == 1);

    browser.login(key);
    browser.open("/jobs");
    WebElement label = browser.driver.findElement(By.cssSelector(".progress[data-job='" + job + "'] .label"));
    assertThat(label.getText()).isEqualTo("50%");
    browser.driver.executeScript("window.notReloaded = true;");
    // why: the list must be following (its EventSource open, or its polling started) before the change
    browser.waitUntil(d -> feed.equals(browser.driver.executeScript("return document.body.dataset.feed;")));
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = true where queue = 'content' and stage = 'qa'"));

    browser.waiting(Duration.ofSeconds(30)).until(d -> label.getText().equals("100%"));
    assertThat(browser.driver.findElement(By.cssSelector("tr[data-row-job='" + job + "'] td.status")).getText())
        .isEqualTo("completed");
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
  }

  @Test
  void the_overview_counts_follow_the_work_without_a_reload() {
    browser.login(TestNode.SERVICE_KEY);
    browser.open("/");
    String before = browser.text("tr[data-stage='content/complete'] td.done");
    browser.driver.executeScript("window.notReloaded = true;");
    browser.waitUntil(d -> "open".equals(browser.driver.executeScript("return document.body.dataset.feed;")));

    node.intake().submit(new NewJob(ContentPipeline.definition(), "article", null,
        (ObjectNode) Json.read("{\"title\":\"Counted\",\"keywords\":[\"count\"]}"), "research", 0));

    browser.waiting(Duration.ofSeconds(30)).until(d ->
        Long.toString(Long.parseLong(before) + 1).equals(browser.text("tr[data-stage='content/complete'] td.done")));
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
  }

  @Test
  void a_dead_letter_is_replayed_from_its_group() throws Exception {
    FAIL.set(true);
    UUID job = node.intake().submit(new NewJob(FLAKY, "flaky", null, (ObjectNode) Json.read("{\"title\":\"flaky one\"}"),
        "work", 0));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from dead_letters where job_id = ? and resolved_at is null", job) == 1);
    FAIL.set(false);

    browser.login(TestNode.SERVICE_KEY);
    browser.open("/dead-letters");
    WebElement group = browser.driver.findElement(By.cssSelector("section.group"));
    assertThat(group.getText()).contains("flaky / work").contains("upstream said no");
    browser.screenshot("dead-letters");
    group.findElement(By.cssSelector("tr[data-letter] form[action$='/replay'] button")).click();

    browser.waitUntil(d -> !d.findElements(By.cssSelector(".flash.notice")).isEmpty());
    assertThat(browser.driver.findElement(By.cssSelector(".flash.notice")).getText()).contains("Replayed dead letter");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and resolution = 'replayed'", job))
        .isEqualTo(1);
  }

  @Test
  void a_stage_limit_changed_on_the_stages_page_is_in_content_stage_config() {
    browser.login(TestNode.SERVICE_KEY);
    browser.open("/stages");
    WebElement limit = browser.driver.findElement(By.cssSelector("input[aria-label='max concurrency of content/draft']"));
    limit.clear();
    limit.sendKeys("5");
    browser.driver.findElement(By.cssSelector("form#stage-content-draft button")).click();

    browser.waitUntil(d -> !d.findElements(By.cssSelector(".flash.notice")).isEmpty());
    assertThat(TestDatabase.count(
        "select max_concurrency from content_stage_config where queue = 'content' and stage = 'draft'")).isEqualTo(5);
    assertThat(browser.text("tr[data-stage='content/draft'] td.in-flight")).endsWith("/ 5");
    browser.screenshot("stages");

    // live: a change made elsewhere (another node, the API) shows without a reload
    browser.driver.executeScript("window.notReloaded = true;");
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set max_concurrency = 6 where queue = 'content' and stage = 'draft'"));
    browser.waitUntil(d -> browser.text("tr[data-stage='content/draft'] td.in-flight").endsWith("/ 6"));
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);

    browser.open("/scheduler");
    browser.screenshot("scheduler");
  }

  @Test
  void the_anon_key_sees_jobs_and_generate_only() {
    browser.login(TestNode.ANON_KEY);
    assertThat(browser.path()).isEqualTo("/jobs");
    assertThat(browser.driver.findElements(By.cssSelector("header nav a"))).extracting(WebElement::getText)
        .containsExactly("Jobs", "Generate", "Batches");
    browser.open("/stages");
    assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("403");
    browser.open("/dead-letters");
    assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("403");
    browser.open("/jobs");
    browser.screenshot("jobs-anon");
    assertThat(Files.exists(ChromeBrowser.SCREENSHOTS.resolve("jobs-anon.png"))).isTrue();
  }
}
