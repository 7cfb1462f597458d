package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A CSV batch in a real browser (headless chromium): uploaded from the Generate page, previewed,
 * submitted, and its counts followed on the batch's page to the total without a reload; a CSV with
 * a bad row shows the row's problem and stores nothing. Screenshots under target/screenshots/.
 */
@Tag("browser")
class BatchBrowserTest {
  private static PlanPerfectNode node;
  private static ChromeBrowser browser;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
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

  @AfterEach
  void exportRuns() {
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = true where queue = 'content' and stage = 'export'"));
  }

  private static Path csvFile(String text) throws IOException {
    Path file = Files.createTempFile("batch", ".csv");
    file.toFile().deleteOnExit();
    return Files.writeString(file, text);
  }

  private static void upload(Path csv) {
    browser.open("/generate");
    new Select(browser.driver.findElement(By.cssSelector("#csv-form select[name=job_type]"))).selectByVisibleText("article");
    browser.driver.findElement(By.cssSelector("#csv-form input[type=file]")).sendKeys(csv.toAbsolutePath().toString());
    browser.driver.findElement(By.cssSelector("#csv-form button[type=submit]")).click();
    browser.waitUntil(d -> !d.findElements(By.id("csv-preview")).isEmpty() || !d.findElements(By.id("csv-error")).isEmpty());
  }

  @Test
  void an_uploaded_csv_is_previewed_submitted_and_its_counts_reach_the_total_without_a_reload() throws IOException {
    // why paused: the jobs must still be running when the batch's page opens, so its counts have to move live
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = false where queue = 'content' and stage = 'export'"));
    browser.login(TestNode.SERVICE_KEY);
    upload(csvFile("""
        title,keywords,priority
        Composting in small gardens,compost;small garden,5
        "Raised beds, step by step",raised beds|timber,
        Mulching for beginners,mulch,
        """));

    assertThat(browser.driver.findElements(By.cssSelector("#csv-preview tr[data-row]"))).hasSize(3);
    assertThat(browser.driver.findElements(By.cssSelector("#csv-preview tr.bad"))).isEmpty();
    assertThat(browser.text("#csv-preview .summary")).isEqualTo("3 row(s), all valid.");
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isZero();
    browser.screenshot("batch-preview");
    browser.driver.findElement(By.cssSelector("#batch-submit button")).click();

    browser.waitUntil(d -> browser.path().startsWith("/batches/"));
    UUID batch = UUID.fromString(browser.path().substring("/batches/".length(), "/batches/".length() + 36));
    browser.driver.executeScript("window.notReloaded = true;");
    browser.waitUntil(d -> "open".equals(browser.driver.executeScript("return document.body.dataset.feed;")));
    assertThat(browser.text("#batch-counts dd[data-count=total_jobs]")).isEqualTo("3");
    assertThat(browser.text("#batch-counts dd[data-count=completed]")).isEqualTo("0");
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = true where queue = 'content' and stage = 'export'"));

    browser.waiting(Duration.ofSeconds(90)).until(d -> "3".equals(browser.text("#batch-counts dd[data-count=completed]")));
    assertThat(browser.text("#batch-counts dd[data-count=pending]")).isEqualTo("0");
    browser.waitUntil(d -> "100%".equals(browser.text("#batch-counts .progress .label")));
    browser.waitUntil(d -> "completed".equals(browser.text("#batch-counts .batch-head .tag")));
    browser.waitUntil(d -> d.findElements(By.cssSelector("#batch-counts tr[data-batch-job] .tag.completed")).size() == 3);
    assertThat(browser.driver.findElements(By.cssSelector("#batch-counts form[action$='/cancel']"))).isEmpty();
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
    assertThat(TestDatabase.count("select completed from generation_batches where id = ?", batch)).isEqualTo(3);
    browser.screenshot("batch-detail");

    browser.open("/batches");
    WebElement row = browser.driver.findElement(By.cssSelector("tr[data-row-batch='" + batch + "']"));
    assertThat(row.findElement(By.cssSelector("td.completed")).getText()).isEqualTo("3");
    browser.screenshot("batches");

    browser.open("/jobs?batch=" + batch);
    assertThat(browser.driver.findElements(By.cssSelector("tr[data-row-job]"))).as(browser::page).hasSize(3);
  }

  @Test
  void a_job_that_ends_while_the_rest_of_its_batch_still_runs_shows_in_the_counts_without_a_reload() throws IOException {
    UUID batch = cancelOneOfARunningBatch(TestNode.SERVICE_KEY);
    assertThat(TestDatabase.count("select count(*) from generation_batches where id = ? and finished_at is null", batch))
        .as("the batch is still running").isEqualTo(1);
  }

  @Test
  void with_the_anon_key_the_batch_page_follows_its_counts_over_the_batchs_stream_too() throws IOException {
    cancelOneOfARunningBatch(TestNode.ANON_KEY);
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = true where queue = 'content' and stage = 'export'"));

    browser.waiting(Duration.ofSeconds(90)).until(d -> "1".equals(browser.text("#batch-counts dd[data-count=completed]")));
    browser.waitUntil(d -> "done".equals(browser.driver.executeScript("return document.body.dataset.feed;")));
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
  }

  /**
   * Logged in with {@code key}, a batch of two whose jobs wait (export paused), its page open and following;
   * one job is cancelled and the page shows it without a reload. why paused: the batch must stay unfinished,
   * so only a live event (not the stream's end and the reconnect after it) can move the counts.
   */
  private UUID cancelOneOfARunningBatch(String key) throws IOException {
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set enabled = false where queue = 'content' and stage = 'export'"));
    browser.login(key);
    upload(csvFile("""
        title,keywords
        Pruning fruit trees,pruning
        Saving seeds,seeds
        """));
    browser.driver.findElement(By.cssSelector("#batch-submit button")).click();
    browser.waitUntil(d -> browser.path().startsWith("/batches/"));
    UUID batch = UUID.fromString(browser.path().substring("/batches/".length(), "/batches/".length() + 36));
    browser.driver.executeScript("window.notReloaded = true;");
    browser.waitUntil(d -> "open".equals(browser.driver.executeScript("return document.body.dataset.feed;")));
    assertThat(browser.text("#batch-counts dd[data-count=cancelled]")).isEqualTo("0");

    UUID job = TestDatabase.jdbi().withHandle(h -> h.createQuery("select id from jobs where batch_id = ? order by created_at limit 1")
        .bind(0, batch).mapTo(UUID.class).one());
    assertThat(new io.planperfect.testing.Http(node.port(), TestNode.SERVICE_KEY)
        .post("/api/v1/jobs/" + job + "/cancel", "{}").status()).isEqualTo(200);

    browser.waiting(Duration.ofSeconds(30)).until(d -> "1".equals(browser.text("#batch-counts dd[data-count=cancelled]")));
    assertThat(browser.driver.executeScript("return window.notReloaded === true;")).isEqualTo(true);
    return batch;
  }

  @Test
  void a_csv_with_a_bad_row_shows_the_rows_problem_and_stores_nothing() throws IOException {
    browser.login(TestNode.ANON_KEY);
    long batches = TestDatabase.count("select count(*) from generation_batches");
    long jobs = TestDatabase.count("select count(*) from jobs");
    upload(csvFile("""
        title,keywords
        A fine title,one;two
        ,three
        """));

    WebElement bad = browser.driver.findElement(By.cssSelector("#csv-preview tr.bad"));
    assertThat(bad.getAttribute("data-row")).isEqualTo("2");
    assertThat(bad.findElement(By.cssSelector("td.problem")).getText()).contains("rows[2].payload.title");
    assertThat(browser.driver.findElements(By.id("batch-submit"))).isEmpty();
    browser.screenshot("batch-preview-error");
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isEqualTo(batches);
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(jobs);
  }
}
