package org.unicard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicard.server.JposTerminal.bread;
import static org.unicard.server.JposTerminal.request;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.unicard.terminal.LocalPorts;
import org.unicard.testing.CiSetup;

/**
 * The operators' console in a real browser (headless Chromium from the Debian packages, driven by
 * Selenium with the driver and browser named explicitly, so nothing is downloaded) against a real
 * switch process: sign in, find a card and read its transactions in plain words, block it and see
 * the card answer 43 on the wire, watch the live page move under load, upload a change batch, and
 * show and download a day's settlement. Screenshots of each page go to
 * {@code target/console-screenshots} (or {@code -Dunicard.console.screenshots=DIR}).
 * Without Chromium it is skipped, except under CI ({@code CI=true}), where it fails.
 */
class ConsoleBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Generous: the machine running the tests may be loaded many times over (seen: load 30 on 2 cores). */
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path directory;

    private Process process;
    private WebDriver browser;
    private JposTerminal terminal;
    private int httpPort;
    private int terminalPort;
    private Path downloads;
    private Path screenshots;

    @BeforeEach
    void start() throws Exception
    {
        CiSetup.requireSetUp(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            CHROMIUM + " and " + CHROMEDRIVER + " are needed: apt-get install -y chromium chromium-driver");
        WireData.write(directory);
        final int port = LocalPorts.free();
        terminalPort = port;
        httpPort = LocalPorts.free();
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(LocalPorts.free()),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.environment().put("UNICARD_API_TOKEN", WireData.API_TOKEN);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch.log").toFile());
        process = builder.start();
        ChildHealth.awaitHealthy(process, httpPort, () -> Files.readString(directory.resolve("switch.log")));
        terminal = new JposTerminal(port);

        downloads = Files.createDirectories(directory.resolve("downloads"));
        screenshots = Files.createDirectories(Path.of(System.getProperty("unicard.console.screenshots", "target/console-screenshots")));
        final ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(CHROMIUM.toFile());
        chrome.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--user-data-dir=" + Files.createDirectories(directory.resolve("chromium-profile")), "--window-size=1366,900", "--lang=en-GB");
        chrome.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, chrome);
        browser.manage().window().setSize(new Dimension(1366, 900));
    }

    @AfterEach
    void stop() throws Exception
    {
        if (browser != null)
        {
            browser.quit();
        }
        if (terminal != null)
        {
            terminal.close();
        }
        if (process != null)
        {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void shouldLetAnAgentFindBlockAndWatchFromTheBrowser() throws Exception
    {
        assertEquals("00", terminal.exchange(bread(WireData.HEAD, 4, 1)).getString(39));
        assertEquals("51", terminal.exchange(bread(WireData.HEAD, 7, 2)).getString(39));

        // No page works without the token.
        browser.get(url("/console/#card"));
        waitVisible("login");
        assertFalse(find("page-card").isDisplayed(), "the card page is hidden before signing in");
        find("token").sendKeys("not-the-token");
        find("login-button").click();
        waitText("login-error", "Wrong token.");
        find("token").clear();
        find("token").sendKeys(WireData.API_TOKEN);
        find("login-button").click();
        waitVisible("page-card");

        // Card: find by PAN, read the history in plain words.
        find("card-query").sendKeys(WireData.HEAD);
        find("card-find").click();
        waitVisible("card-view");
        waitText("card-status", "active");
        final String history = find("card-transactions").getText();
        assertTrue(history.contains("declined: bread quota used up today"), history);
        assertTrue(history.contains("bread purchase, 4 loaves"), history);
        final String household = find("hh-cards").getText();
        final String maskedMember = WireData.MEMBER.substring(0, 6) + "******" + WireData.MEMBER.substring(12);
        assertTrue(household.contains(maskedMember), household);
        assertFalse(household.contains(WireData.MEMBER), "other cards are masked: " + household);
        screenshot("card");

        // Block it as stolen, with the confirmation; the card then answers 43 on the wire.
        find("block-stolen").click();
        waitVisible("confirm");
        assertTrue(find("confirm-text").getText().contains("STOLEN"), find("confirm-text").getText());
        find("confirm-yes").click();
        waitText("card-status", "blocked: stolen");
        waitText("card-transactions", "operator: card blocked as stolen");
        assertEquals("43", terminal.exchange(bread(WireData.HEAD, 1, 3)).getString(39));

        // Arabic, right to left.
        find("lang").click();
        assertEquals("rtl", browser.findElement(By.tagName("html")).getAttribute("dir"));
        waitText("card-status", "موقوفة: مسروقة");
        screenshot("card-arabic");
        find("lang").click();
        assertEquals("ltr", browser.findElement(By.tagName("html")).getAttribute("dir"));

        // A national id finds the member's card.
        find("card-query").clear();
        find("card-query").sendKeys("29001010300021");
        find("card-find").click();
        waitText("card-pan", WireData.MEMBER);

        // Live: the numbers move under a little load.
        final AtomicBoolean loading = new AtomicBoolean(true);
        final AtomicInteger answered = new AtomicInteger();
        final Thread load = new Thread(() ->
        {
            int stan = 1000;
            try (JposTerminal loader = new JposTerminal(terminalPort))
            {
                while (loading.get())
                {
                    loader.exchange(request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, WireData.LARGE_HEAD, "319200", -1, null, stan++));
                    answered.incrementAndGet();
                    Thread.sleep(5);
                }
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        load.start();
        try
        {
            find("nav-live").click();
            waitVisible("page-live");
            new WebDriverWait(browser, WAIT).until(driver -> rate(find("live-rate").getText()) > 0);
            new WebDriverWait(browser, WAIT).until(driver -> find("live-governorates").getText().contains("Port Said"));
            Thread.sleep(3_000);
            assertTrue(rate(find("live-rate").getText()) > 0, find("live-rate").getText());
            assertEquals(3, browser.findElements(By.cssSelector("#page-live canvas")).size(), "three uPlot charts");
            screenshot("live");
        }
        finally
        {
            loading.set(false);
            load.join();
        }
        assertTrue(answered.get() > 10, "load answered=" + answered.get());
        // The governorate whose terminals fall silent turns red within seconds, with a banner naming it.
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver ->
            find("live-alert").getText().contains("No traffic for 10 s from: Port Said"));
        assertEquals(1, browser.findElements(By.cssSelector("#live-governorates tr.stalled")).size());

        // Changes: a bad batch is refused line by line, every error of its one line listed.
        find("nav-changes").click();
        waitVisible("page-changes");
        find("changes-batch").sendKeys("console-test-1");
        find("changes-text").sendKeys("{\"op\":\"household\",\"household_id\":\"x\"}");
        find("changes-upload").click();
        new WebDriverWait(browser, WAIT).until(driver -> !find("changes-result").getText().isEmpty());
        final String changes = find("changes-result").getText();
        assertTrue(changes.startsWith("Nothing applied: 1 line(s) have errors."), changes);
        assertTrue(find("changes-errors").isDisplayed());
        assertTrue(find("changes-errors").getText().contains("cash_support_piasters missing column"), find("changes-errors").getText());
        screenshot("changes");

        // Settlement of the clock's day, shown and downloaded.
        find("nav-settlement").click();
        waitVisible("page-settlement");
        ((JavascriptExecutor)browser).executeScript("document.getElementById('settle-date').value = '2026-11-23';");
        find("settle-show").click();
        waitText("settle-lines", "B0000001");
        assertTrue(find("settle-lines").getText().contains("1 · 4 loaves"), find("settle-lines").getText());
        find("settle-csv").click();
        final Path csv = downloads.resolve("settlement-2026-11-23.csv");
        new WebDriverWait(browser, WAIT).until(driver -> Files.exists(csv));
        assertEquals(List.of("date,terminal_id,acquirer_id,program,unit,purchases_count,purchases_total,returns_count,returns_total," +
            "reversals_count,reversals_total,net_total", "2026-11-23,B0000001,,bread,loaves,1,4,0,0,0,0,4"),
            Files.readAllLines(csv, StandardCharsets.UTF_8));
        screenshot("settlement");

        // Signing out leaves no page working.
        find("logout").click();
        waitVisible("login");
        assertFalse(find("page-settlement").isDisplayed());
        assertEquals("null", String.valueOf(((JavascriptExecutor)browser).executeScript("return sessionStorage.getItem('unicard-token');")));
    }

    private static double rate(final String text)
    {
        try
        {
            return Double.parseDouble(text.replace(",", ""));
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    private String url(final String path)
    {
        return "http://127.0.0.1:" + httpPort + path;
    }

    private WebElement find(final String id)
    {
        return browser.findElement(By.id(id));
    }

    private void waitVisible(final String id)
    {
        new WebDriverWait(browser, WAIT).until(driver -> find(id).isDisplayed());
    }

    private void waitText(final String id, final String text)
    {
        new WebDriverWait(browser, WAIT)
            .withMessage(() -> "#" + id + " to show \"" + text + "\"; the page shows: " + browser.findElement(By.tagName("main")).getText())
            .until(driver -> find(id).getText().contains(text));
    }

    private void screenshot(final String page) throws IOException
    {
        final File shot = ((TakesScreenshot)browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve("console-" + page + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
