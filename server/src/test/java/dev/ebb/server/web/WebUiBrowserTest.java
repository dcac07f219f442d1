package dev.ebb.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}): an analyst signs in,
 * triggers a sync, lands on its run page, and finds the row the sandbox rejected with HubSpot's reason; the row's key
 * is markup, and shows as text. One browser for the class.
 */
class WebUiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static Path scratch;
    static UiProject project;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The UI's browser test needs Debian's Chromium and its driver at "
                    + CHROMIUM + " and " + CHROMEDRIVER + ": install them with "
                    + "'apt-get install -y chromium chromium-driver' (.ci/run does).");
        }
        scratch = Files.createTempDirectory("ebb-ui-browser");
        project = new UiProject(scratch.resolve("project"), List.of());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + scratch.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) browser.quit();
        } finally {
            if (project != null) project.close();
        }
    }

    @BeforeEach
    void signOut() {
        browser.manage().deleteAllCookies();
    }

    void signIn(String token) {
        browser.get(project.base + "/ui");
        wait.until(ExpectedConditions.urlContains("/ui/login"));
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    @Test
    void triggerThenRunPageShowsTheRejectedRowWithItsReasonAndAScriptKeyAsText() {
        signIn("not-a-token");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .contains("not valid");

        browser.findElement(By.id("token")).sendKeys(UiProject.OPERATOR);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("syncs")));
        browser.findElement(By.linkText(UiProject.SYNC)).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("run-now"))).click();

        // The queued run opens as soon as it starts; the page follows it until it ends, then shows its rows.
        wait.until(ExpectedConditions.urlMatches("/ui/runs/[0-9]+$"));
        wait.until(ExpectedConditions.textMatches(By.id("run-status"), java.util.regex.Pattern.compile(
                "^(?!running$).+")));
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("completed_with_errors");
        assertThat(browser.findElement(By.cssSelector("[data-count=delivered]")).getText()).isEqualTo("2");

        new Select(browser.findElement(By.id("status"))).selectByValue("rejected");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.urlContains("status=rejected"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#rows tr.row"));
        assertThat(rows).hasSize(1);
        WebElement row = rows.getFirst();
        assertThat(row.findElement(By.cssSelector("td.key")).getText()).isEqualTo(UiProject.SCRIPT_KEY);
        assertThat(row.findElement(By.cssSelector("td.outcome")).getText()).isEqualTo("rejected");
        assertThat(row.findElement(By.cssSelector("td.reason")).getText()).contains("INVALID_EMAIL");
        assertThat(browser.findElements(By.cssSelector("#rows script"))).as("the key is text, not markup").isEmpty();
        assertThat(browser.getTitle()).as("the key's script never ran").isNotEqualTo("owned");
        assertThat(browser.getPageSource()).doesNotContain(UiProject.HUBSPOT_TOKEN);

        // Searching by a part of the key finds the same row among every outcome.
        new Select(browser.findElement(By.id("status"))).selectByValue("");
        browser.findElement(By.id("key")).clear();
        browser.findElement(By.id("key")).sendKeys("grace");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.urlContains("key=grace"));
        assertThat(browser.findElements(By.cssSelector("#rows td.key"))).extracting(WebElement::getText)
                .containsExactly("grace@example.com");
    }

    @Test
    void aReadOnlyTokenSeesTheHistoryButNoActions() {
        signIn(UiProject.VIEWER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("syncs")));
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("analyst (read-only)");
        browser.findElement(By.linkText(UiProject.SYNC)).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("plan-link")));
        assertThat(browser.findElements(By.id("run-now"))).isEmpty();
    }
}
