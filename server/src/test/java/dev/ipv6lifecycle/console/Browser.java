package dev.ipv6lifecycle.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven by Debian's chromedriver. Both paths are given, so Selenium Manager is
 * never asked to find (or download) a browser or a driver; and every request to anywhere but the loopback
 * goes to a proxy that does not exist, so a page that tried to load something from outside would fail its
 * test rather than reach the network. Every page visited is checked with axe-core.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

    private final ChromeDriver driver;
    private final String base;
    private final String axe;

    Browser(int port) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions",
                // Loopback goes direct (Chromium never proxies it, "<-loopback>" is not given); the rest nowhere.
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        base = "http://127.0.0.1:" + port;
        try (InputStream script = Browser.class.getClassLoader().getResourceAsStream(AXE)) {
            assertThat(script).as("axe-core from its WebJar").isNotNull();
            axe = new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens a path of the service and checks the page it lands on. */
    void open(String path) {
        driver.get(base + path);
        checkAccessibility();
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text() {
        return find("main").getText();
    }

    void signIn(String apiKey) {
        driver.manage().deleteAllCookies();
        open("/console/sign-in");
        find("#apiKey").sendKeys(apiKey);
        submit(find("#apiKey"));
        assertThat(path()).isEqualTo("/console/pools");
    }

    /** Submits the form of the element and waits until the next page (of any outcome) has loaded. */
    void submit(WebElement inForm) {
        WebElement form = inForm.findElement(By.xpath("ancestor-or-self::form"));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ignored -> isStale(form));
        waitForLoad();
        checkAccessibility();
    }

    void waitForLoad() {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ignored ->
                "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
    }

    /**
     * axe-core's WCAG 2 A and AA rules and its best practices (labels, names, contrast, landmarks, keyboard
     * focus order): any violation fails the test, named with the elements at fault.
     */
    @SuppressWarnings("unchecked")
    void checkAccessibility() {
        JavascriptExecutor js = driver;
        if ("undefined".equals(js.executeScript("return typeof window.axe"))) {
            js.executeScript(axe);
        }
        Object result = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                        'best-practice']}})
                    .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at '
                        + v.nodes.map(n => n.target.join(' ')).join(', '))))
                    .catch(e => done(['axe failed: ' + e]));""");
        assertThat((List<String>) result).as("accessibility of " + path()).isEmpty();
    }

    private boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException gone) {
            return true;
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
