package io.planperfect.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven by chromedriver (see LIBRARIES.md), with a fresh profile; writes
 * a screenshot of a page under {@code target/screenshots/}.
 */
final class ChromeBrowser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final String base;
  private final Path profile;

  ChromeBrowser(int port) {
    try {
      profile = Files.createTempDirectory("pp-chromium");
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--window-size=1400,1000", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    base = "http://127.0.0.1:" + port;
  }

  /**
   * Loads a page and returns once the new document has loaded: the old one is marked first, so a
   * navigation chromedriver reports done while the previous page is still shown is waited out.
   */
  void open(String path) {
    driver.executeScript("window.ppPreviousDocument = true;");
    driver.get(base + path);
    waitUntil(d -> Boolean.TRUE.equals(driver.executeScript(
        "return window.ppPreviousDocument !== true && document.readyState === 'complete';")));
  }

  String path() {
    String url = driver.getCurrentUrl();
    return url.substring(base.length());
  }

  void login(String key) {
    driver.manage().deleteAllCookies();
    open("/login");
    driver.findElement(By.id("api_key")).sendKeys(key);
    driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    waitUntil(d -> !path().startsWith("/login"));
  }

  /** The text of the first element matching a selector, read in one step (live parts of a page are swapped in whole). */
  String text(String css) {
    Object text = driver.executeScript("var e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css);
    return text == null ? null : text.toString();
  }

  /** Where the browser is and what it shows, for a failed assertion's message: the address, the title and the start of the text. */
  String page() {
    Object text = driver.executeScript("return document.body ? document.body.innerText : '';");
    String shown = text == null ? "" : text.toString();
    return driver.getCurrentUrl() + " \"" + driver.getTitle() + "\": " + shown.substring(0, Math.min(600, shown.length()));
  }

  /** A wait whose timeout says which page the browser shows ({@link #page}). */
  Wait<WebDriver> waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout).withMessage(this::page);
  }

  void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
    waiting(Duration.ofSeconds(15)).until(condition::apply);
  }

  Path screenshot(String name) {
    try {
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
