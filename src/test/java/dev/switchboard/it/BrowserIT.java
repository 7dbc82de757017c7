package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The bundled chat page (src/main/webapp) in two real browsers: two users, each in their own
 * headless Chromium with its own profile, sign in with dev tokens, join one room and chat. Checks
 * what user B sees of user A: the message with name and node, HTML shown as text, A in the member
 * list with a presence dot, and the typing indicator. Screenshots: target/browser-A.png and
 * target/browser-B.png.
 */
class BrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HTML_TEXT = "<b>bold</b><img src=x onerror=alert(1)>";

    private static final List<Browser> browsers = new ArrayList<>();

    /** One user's browser: its driver, its profile directory and the screenshot it leaves. */
    private record Browser(String label, WebDriver driver, Path profile) {
        JavascriptExecutor js() {
            return (JavascriptExecutor) driver;
        }

        WebDriverWait waiting(String what) {
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            wait.withMessage(() -> "browser " + label + ": " + what);
            wait.ignoring(
                    StaleElementReferenceException.class); // the page re-renders lists wholesale
            return wait;
        }

        <T> T await(String what, ExpectedCondition<T> condition) {
            return waiting(what).until(condition);
        }

        WebElement byId(String id) {
            return driver.findElement(By.id(id));
        }
    }

    @BeforeAll
    static void browsersAreInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(
                    "Chromium is missing: "
                            + CHROMIUM
                            + " is not an executable file. Install it with "
                            + "`apt-get install chromium chromium-driver` (scripts/test does this).");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            fail(
                    "chromedriver is missing: "
                            + CHROMEDRIVER
                            + " is not an executable file. Install it with "
                            + "`apt-get install chromium-driver` (scripts/test does this).");
        }
    }

    @AfterAll
    static void quitBrowsers() {
        for (Browser browser : browsers) {
            try {
                browser.driver().quit();
            } catch (RuntimeException e) {
                System.err.println(
                        "BrowserIT: quitting browser " + browser.label() + " failed: " + e);
            }
            deleteQuietly(browser.profile());
        }
        browsers.clear();
    }

    @Test
    void two_users_chat_through_the_web_page() {
        SwitchboardNode node = TestNodes.postgres();
        String page = "http://127.0.0.1:" + node.port() + "/";
        String room = Unique.name("browser-room");
        String userA = Unique.name("alice");
        String userB = Unique.name("bob");
        String nameA = "Alice " + userA.substring(userA.indexOf('-') + 1);
        String nameB = "Bob " + userB.substring(userB.indexOf('-') + 1);
        String plainText = "Hello from A in " + room;

        Browser a = open("A");
        Browser b = open("B");
        try {
            signIn(a, page, userA, nameA, node);
            signIn(b, page, userB, nameB, node);

            // B first, so that A's arrival reaches B as member_joined (with A's display name).
            join(b, room);
            join(a, room);

            // B's member list: A, with a presence dot that says online.
            b.await(
                    "member list shows " + userA + " with an online presence dot",
                    d -> {
                        Map<String, Object> member = member(b, userA);
                        return member != null && "online".equals(member.get("status"))
                                ? member
                                : null;
                    });
            Map<String, Object> memberA = member(b, userA);
            assertEquals(
                    Boolean.TRUE,
                    memberA.get("dotVisible"),
                    "B's presence dot for A is displayed: " + memberA);
            assertEquals(nameA, memberA.get("name"), "B's member list names A: " + memberA);
            b.await("member count 2", d -> "2".equals(text(b, "#member-count")));

            // A types: B sees the typing indicator; A sends: it goes away.
            WebElement composerA = a.byId("composer");
            composerA.sendKeys(plainText);
            b.await(
                    "typing indicator for A while A types",
                    d -> (nameA + " is typing…").equals(text(b, "#typing")));
            composerA.sendKeys(Keys.ENTER);

            Map<String, Object> seen = awaitMessage(b, plainText);
            assertEquals(nameA, seen.get("name"), "B's .message-from names A: " + seen);
            assertTrue(
                    String.valueOf(seen.get("from")).contains(nameA),
                    "B's .message-from shows A's name: " + seen);
            assertEquals(
                    node.name(), seen.get("node"), "B's .message-node shows the node id: " + seen);
            assertEquals(Boolean.FALSE, seen.get("nodeHidden"), ".message-node is shown: " + seen);
            assertEquals(
                    Boolean.TRUE,
                    seen.get("visible"),
                    "the message is displayed in B's page: " + seen);
            assertNotNull(seen.get("seq"), "a confirmed message carries its seq: " + seen);
            b.await("typing indicator cleared after A sent", d -> text(b, "#typing").isEmpty());

            // A's own copy is acknowledged (not left pending).
            a.await(
                    "A's own message confirmed (data-id set, not pending)",
                    d -> {
                        Map<String, Object> own = findMessage(a, plainText);
                        return own != null
                                        && own.get("id") != null
                                        && !String.valueOf(own.get("classes")).contains("pending")
                                ? own
                                : null;
                    });

            // HTML in a message is text, never markup.
            composerA.sendKeys(HTML_TEXT);
            composerA.sendKeys(Keys.ENTER);
            Map<String, Object> html = awaitMessage(b, HTML_TEXT);
            assertEquals(HTML_TEXT, html.get("text"), "textContent equals the typed string");
            assertEquals(
                    0L,
                    html.get("elementChildren"),
                    ".message-text holds no elements: " + html.get("innerHTML"));
            assertEquals(
                    0L,
                    html.get("boldOrImg"),
                    "no <b>/<img> inside .message-text: " + html.get("innerHTML"));
            assertEquals(
                    0L,
                    b.js().executeScript(
                                    "return document.querySelectorAll('#messages img, #messages b').length;"),
                    "no <b>/<img> anywhere in B's message list");
            assertEquals(
                    HTML_TEXT, html.get("innerText"), "B's page renders the HTML as literal text");

            // A places an order from the page: it is listed, and the notifications move it to
            // confirmed with a toast.
            a.byId("order-button").click();
            a.await(
                    "A's order listed as confirmed",
                    d ->
                            "confirmed"
                                    .equals(
                                            a.js().executeScript(
                                                            "const o = document.querySelector('#orders .order'); return o && o.dataset.status;")));
            a.await(
                    "a notification toast for the order",
                    d ->
                            (Boolean)
                                    a.js().executeScript(
                                                    "return [...document.querySelectorAll('#toasts .toast.notification')].some(t => t.textContent.includes('order.'));"));
            assertEquals("", text(a, "#order-error"), "no order error shown");
            assertNoAlert(a);
            assertNoAlert(b);
        } finally {
            screenshot(a, Path.of("target", "browser-A.png"));
            screenshot(b, Path.of("target", "browser-B.png"));
            printConsole(a);
            printConsole(b);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static Browser open(String label) {
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-chromium-" + label + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,800",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                        .usingAnyFreePort()
                        .build();
        try {
            WebDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            Browser browser = new Browser(label, driver, profile);
            browsers.add(browser);
            return browser;
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw new AssertionError(
                    "cannot start headless Chromium "
                            + CHROMIUM
                            + " through "
                            + CHROMEDRIVER
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static void signIn(
            Browser browser, String page, String user, String name, SwitchboardNode node) {
        browser.driver().get(page);
        WebElement userField =
                browser.await(
                        "sign-in form shown",
                        d -> {
                            WebElement e = d.findElement(By.id("login-user"));
                            return e.isDisplayed() ? e : null;
                        });
        userField.clear();
        userField.sendKeys(user);
        WebElement nameField = browser.byId("login-name");
        nameField.clear();
        nameField.sendKeys(name);
        browser.byId("login-button").click();

        try {
            browser.await(
                    "chat view shown after sign-in",
                    d -> d.findElement(By.id("chat-view")).isDisplayed());
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "browser "
                            + browser.label()
                            + ": sign-in as "
                            + user
                            + " failed; #login-error says '"
                            + text(browser, "#login-error")
                            + "'",
                    e);
        }
        browser.await(
                "connection state 'connected'",
                d ->
                        "connected"
                                .equals(
                                        d.findElement(By.id("connection-state"))
                                                .getAttribute("data-state")));
        browser.await(
                "whoami names the node", d -> node.name().equals(text(browser, "#whoami-node")));
        assertEquals(
                name,
                text(browser, "#whoami-name"),
                "browser " + browser.label() + ": #whoami-name");
    }

    private static void join(Browser browser, String room) {
        WebElement input = browser.byId("room-input");
        input.sendKeys(room);
        browser.byId("join-button").click();
        String item = "#rooms > .room-item[data-room='" + room + "']";
        browser.await(
                "room " + room + " joined and active",
                d -> {
                    List<WebElement> items = d.findElements(By.cssSelector(item));
                    if (items.isEmpty()) return false;
                    String classes = Objects.toString(items.get(0).getAttribute("class"), "");
                    return classes.contains("active") && !classes.contains("joining");
                });
        browser.await(
                "composer enabled for #" + room,
                d ->
                        d.findElement(By.id("composer")).isEnabled()
                                && "ok"
                                        .equals(
                                                d.findElement(By.id("composer-hint"))
                                                        .getAttribute("data-state")));
        assertEquals(
                "#" + room,
                text(browser, "#room-title"),
                "browser " + browser.label() + ": #room-title");
    }

    /**
     * The first {@code .message} whose {@code .message-text} textContent is {@code text}, or null.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> findMessage(Browser browser, String text) {
        return (Map<String, Object>)
                browser.js()
                        .executeScript(
                                """
                const wanted = arguments[0];
                for (const m of document.querySelectorAll('#messages > .message')) {
                  const t = m.querySelector('.message-text');
                  if (!t || t.textContent !== wanted) continue;
                  const from = m.querySelector('.message-from');
                  const name = m.querySelector('.message-from .message-name');
                  const node = m.querySelector('.message-node');
                  return {
                    visible: m.checkVisibility(), text: t.textContent, innerText: t.innerText, innerHTML: t.innerHTML,
                    elementChildren: t.childElementCount, boldOrImg: t.querySelectorAll('b, img').length,
                    from: from ? from.textContent : null, name: name ? name.textContent : null,
                    node: node ? node.textContent : null, nodeHidden: node ? node.hidden : null,
                    id: m.dataset.id || null, seq: m.dataset.seq || null, classes: m.className,
                  };
                }
                return null;
                """,
                                text);
    }

    /**
     * B's entry for {@code user} in {@code #members}: status of its presence dot, name; null when
     * absent.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Browser browser, String user) {
        return (Map<String, Object>)
                browser.js()
                        .executeScript(
                                """
                const item = [...document.querySelectorAll('#members > .member')].find((m) => m.dataset.user === arguments[0]);
                if (!item) return null;
                const dot = item.querySelector(':scope > .presence-dot');
                const name = item.querySelector('.member-name');
                return {
                  status: dot ? dot.dataset.status : null, dotVisible: dot ? dot.checkVisibility() : false,
                  name: name ? name.textContent : null, text: item.textContent,
                };
                """,
                                user);
    }

    private static Map<String, Object> awaitMessage(Browser browser, String text) {
        return browser.await(
                "a .message whose .message-text is '" + text + "'",
                d -> findMessage(browser, text));
    }

    private static String text(Browser browser, String css) {
        Object value =
                browser.js()
                        .executeScript(
                                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;",
                                css);
        return value == null ? "" : value.toString();
    }

    private static void assertNoAlert(Browser browser) {
        try {
            String alert = browser.driver().switchTo().alert().getText();
            fail(
                    "browser "
                            + browser.label()
                            + " opened an alert (the HTML in a message was executed): "
                            + alert);
        } catch (NoAlertPresentException expected) {
            // the markup stayed text
        }
    }

    private static void screenshot(Browser browser, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((ChromeDriver) browser.driver()).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("BrowserIT: no screenshot of browser " + browser.label() + ": " + e);
        }
    }

    private static void printConsole(Browser browser) {
        try {
            for (LogEntry entry : browser.driver().manage().logs().get(LogType.BROWSER)) {
                System.out.println(
                        "BrowserIT console "
                                + browser.label()
                                + ": "
                                + entry.getLevel()
                                + " "
                                + entry.getMessage());
            }
        } catch (RuntimeException e) {
            System.err.println(
                    "BrowserIT: no console log of browser " + browser.label() + ": " + e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp directory left behind is harmless
        }
    }
}
