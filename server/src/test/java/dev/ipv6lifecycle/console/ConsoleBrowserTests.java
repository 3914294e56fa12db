package dev.ipv6lifecycle.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * The console in a real headless Chromium, as a NOC engineer and the abuse desk use it: sign in, pools with
 * their bars and map, search, suspend with a reason, roles, tenants, attribution, session expiry. Every page
 * is checked with axe-core on the way (Browser). One browser for the class; a tenant of its own, so that
 * its pools may overlap those of other test classes on the shared database.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTests {

    private static final String TENANT = "console-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_TENANT = TENANT + "-other";
    private static final int BUSINESS_48S = 24;

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    private Browser browser;
    private String adminKey;
    private String operatorKey;
    private String viewerKey;
    private String poolId;
    private String sparePoolId;
    private String activeId;
    private String largeId;
    private String otherTenantsId;

    @BeforeAll
    void startBrowserAndMakeATenant() {
        Api installation = new Api(port);
        adminKey = key(installation, TENANT, "admin");
        operatorKey = key(installation, TENANT, "operator");
        viewerKey = key(installation, TENANT, "viewer");
        Api admin = installation.as(adminKey);
        poolId = created(admin.post("/api/v1/pools", """
                {"name": "residential-north", "prefix": "2001:db8::/40", "delegatedLengths": [48, 56],
                 "defaultLength": 56, "quarantine": "P1D"}"""));
        // The suspend test allocates from a pool of its own, so that this pool's figures stay known.
        created(admin.post("/api/v1/pools", """
                {"name": "business", "prefix": "2001:db8:100::/40", "delegatedLengths": [56],
                 "defaultLength": 56, "quarantine": "P1D"}"""));
        // The drain test drains a pool of its own.
        sparePoolId = created(admin.post("/api/v1/pools", """
                {"name": "spare", "prefix": "2001:db8:200::/40", "delegatedLengths": [56],
                 "defaultLength": 56, "quarantine": "P1D"}"""));
        Api operator = installation.as(operatorKey);
        activeId = created(operator.post("/api/v1/delegations",
                "{\"subscriberId\": \"sub-active\", \"prefix\": \"2001:db8:12:3400::/56\"}"));
        assertThat(operator.post("/api/v1/delegations/" + activeId + "/activate", "{}").status()).isEqualTo(200);
        largeId = created(operator.post("/api/v1/delegations",
                "{\"subscriberId\": \"sub-large\", \"prefix\": \"2001:db8:ff::/48\"}"));
        // Business customers in a row of /48s, so that the map has something to show.
        for (int i = 0; i < BUSINESS_48S; i++) {
            created(operator.post("/api/v1/delegations", "{\"subscriberId\": \"sub-business-" + i
                    + "\", \"prefix\": \"2001:db8:" + Integer.toHexString(0x80 + i) + "::/48\"}"));
        }
        Api other = installation.as(key(installation, OTHER_TENANT, "admin"));
        created(other.post("/api/v1/pools", """
                {"name": "elsewhere", "prefix": "2001:db8::/32", "delegatedLengths": [56], "defaultLength": 56,
                 "quarantine": "P1D"}"""));
        otherTenantsId = created(other.post("/api/v1/delegations", "{\"subscriberId\": \"sub-other\"}"));
        // The read side follows the events by milliseconds: wait until it has the active delegation's holding.
        await().atMost(Duration.ofSeconds(10)).until(() -> operator.get(
                "/api/v1/attribution?address=2001:db8:12:3456::1&at=" + Instant.now()).status() == 200);
        browser = new Browser(port);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theRootLeadsToTheSignInAndAnApiKeySignsIn() {
        browser.driver().manage().deleteAllCookies();
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.screenshot("sign-in");

        browser.find("#apiKey").sendKeys("ipv6k_" + "A".repeat(43));
        browser.submit(browser.find("#apiKey"));
        assertThat(browser.path()).isEqualTo("/console/sign-in?failed");
        assertThat(browser.text()).contains("unknown or revoked");

        browser.signIn(operatorKey);
        assertThat(browser.find("header").getText()).contains(TENANT).contains("operator");
        assertThat(browser.driver().manage().getCookieNamed("JSESSIONID").isHttpOnly()).isTrue();
        assertThat(browser.driver().manage().getCookieNamed("JSESSIONID").getSameSite()).isEqualTo("Strict");
    }

    @Test
    void showsThePoolsUtilisationAndItsMapDownToOneDelegation() {
        browser.signIn(viewerKey);
        // A /56 and 1 + 24 /48s of a /40: 1/65536 and 1/256 of its addresses each.
        double heldPercent = (1 + 256 * (1 + BUSINESS_48S)) * 100.0 / 65536;
        WebElement row = browser.driver().findElement(By.xpath("//tr[td/a[text()='residential-north']]"));
        assertThat(row.getText()).contains("2001:db8::/40").contains("ACTIVE")
                .contains(String.format(Locale.ROOT, "%.2f %%", heldPercent));
        assertThat(row.findElement(By.cssSelector("svg.bar")).getAttribute("aria-label"))
                .isEqualTo(String.format(Locale.ROOT, "%.2f%% held", heldPercent));
        browser.screenshot("pools");

        browser.driver().findElement(By.linkText("residential-north")).click();
        browser.waitForLoad();
        browser.checkAccessibility();
        // The /40 in blocks of /48: 256 of them. The /48 delegations are blocks 0x80 to 0x97 and 0xff and
        // lead to them; the /56 lies in block 0x12, which leads into the block.
        assertThat(browser.all("svg.map [data-prefix]")).hasSize(256);
        assertThat(browser.find("svg.map a[data-prefix='2001:db8:ff::/48']").getDomAttribute("href"))
                .endsWith("/console/delegations/" + largeId);
        WebElement block = browser.find("svg.map a[data-prefix='2001:db8:12::/48']");
        assertThat(block.getAttribute("aria-label")).isEqualTo(String.format(Locale.ROOT,
                "2001:db8:12::/48: %.2f%% held, 0.00%% quarantined, %.2f%% free", 100.0 / 256, 100 - 100.0 / 256));
        assertThat(browser.all("svg.map a")).hasSize(2 + BUSINESS_48S);
        browser.driver().manage().window().setSize(new Dimension(1280, 1300));
        browser.screenshot("pool-map");
        browser.driver().manage().window().setSize(new Dimension(1280, 900));

        // Into the /48: blocks of /56, of which the delegation's is one, held whole.
        block.click();
        browser.waitForLoad();
        browser.checkAccessibility();
        WebElement delegation = browser.find("svg.map a[data-prefix='2001:db8:12:3400::/56']");
        assertThat(delegation.getAttribute("aria-label")).contains("100.00% held");
        delegation.click();
        browser.waitForLoad();
        assertThat(browser.path()).isEqualTo("/console/delegations/" + activeId);
    }

    @Test
    void findsTheDelegationHoldingAnAddress() {
        browser.signIn(viewerKey);
        WebElement box = browser.find("#q");
        box.sendKeys("2001:db8:12:3456::1");
        browser.submit(box);
        assertThat(browser.path()).isEqualTo("/console/delegations/" + activeId);
        assertThat(browser.text()).contains("2001:db8:12:3400::/56").contains("sub-active");
    }

    @Test
    void suspendsWithAReasonThatTheTimelineShowsOnce() {
        Api operator = new Api(port).as(operatorKey);
        String id = created(operator.post("/api/v1/delegations",
                "{\"subscriberId\": \"sub-suspend\", \"prefix\": \"2001:db8:100::/56\"}"));
        assertThat(operator.post("/api/v1/delegations/" + id + "/activate", "{}").status()).isEqualTo(200);
        browser.signIn(operatorKey);
        browser.open("/console/delegations/" + id);
        browser.find("#reason-suspend").sendKeys("abuse ticket 4711");
        browser.find("#confirm-suspend").click();
        WebElement button = browser.find("#suspend");
        // A double click: the second is ignored by the page, and would be answered, not done, by the server.
        new org.openqa.selenium.interactions.Actions(browser.driver()).doubleClick(button).perform();
        // The page reloads after the action: an element found before the reload is stale by the time it is read.
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(ignored -> browser.all("#state").size() == 1 && "SUSPENDED".equals(browser.find("#state").getText()));
        browser.waitForLoad();
        browser.checkAccessibility();
        List<String> timeline = browser.all(".timeline li").stream().map(WebElement::getText).toList();
        assertThat(timeline).filteredOn(line -> line.contains("PrefixSuspended")).singleElement().asString()
                .contains("abuse ticket 4711").contains("api-key:");
        browser.screenshot("delegation");
        assertThat(operator.get("/api/v1/delegations/" + id + "/history").json().size()).isEqualTo(3);
    }

    @Test
    void aViewerSeesNoRevokeButtonAndTheServerRefusesOneAnyway() {
        browser.signIn(viewerKey);
        browser.open("/console/delegations/" + activeId);
        assertThat(browser.all("form.confirm")).isEmpty();
        assertThat(browser.all("#revoke")).isEmpty();
        // The form an operator would see, sent by this viewer's browser with its own CSRF token: 403.
        Object status = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('form.who input[name=_csrf]').value;
                fetch('/console/delegations/' + arguments[0] + '/revoke', {method: 'POST',
                    body: new URLSearchParams({_csrf: token, reason: 'not mine to do', confirmed: 'on'})})
                    .then(r => done(r.status));""", activeId);
        assertThat(status).isEqualTo(403L);
        assertThat(new Api(port).as(viewerKey).get("/api/v1/delegations/" + activeId).json().get("state").asString())
                .isEqualTo("ACTIVE");
    }

    @Test
    void anotherTenantsDelegationIsNotFound() {
        browser.signIn(adminKey);
        browser.open("/console/delegations/" + otherTenantsId);
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        browser.open("/console/search?q=sub-other");
        assertThat(browser.text()).contains("Nothing found");
    }

    @Test
    void attributesAnAddressAtATimeInItsTimeZone() {
        browser.signIn(viewerKey);
        browser.open("/console/attribution");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .format(Instant.now().truncatedTo(ChronoUnit.SECONDS).atZone(berlin));
        browser.open("/console/attribution?subject=2001:db8:12:3456::1&zone=Europe/Berlin&at=" + now);
        assertThat(browser.find("#holder").getText()).isEqualTo("sub-active");
        assertThat(browser.find("#answer").getText()).contains("Europe/Berlin");
        browser.screenshot("attribution");
        String csv = (String) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(document.querySelector('a[href*="attribution.csv"]').href).then(r => r.text()).then(done);""");
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(csv.lines().toList().get(1)).contains("\"sub-active\"").contains(activeId);
    }

    @Test
    void anAdminDrainsAPoolOnlyOnceItIsConfirmedAndAViewerIsOfferedNoPoolAction() {
        browser.signIn(viewerKey);
        browser.open("/console/pools/" + sparePoolId);
        assertThat(browser.all("form.confirm")).isEmpty();

        browser.signIn(adminKey);
        browser.open("/console/pools/" + sparePoolId);
        browser.find("#reason-drain").sendKeys("moving to the new BNG");
        browser.find("#drain").click();
        // Not confirmed: the browser keeps the form (the checkbox is required) and nothing is sent.
        assertThat(browser.find("#confirm-drain").getDomProperty("validationMessage")).isNotEmpty();
        assertThat(browser.find("#state").getText()).isEqualTo("ACTIVE");
        browser.find("#confirm-drain").click();
        browser.submit(browser.find("#drain"));
        assertThat(browser.find("#state").getText()).isEqualTo("DRAINING");
        assertThat(browser.all("#undrain")).hasSize(1);
    }

    @Test
    void theHealthPageShowsTheProjectionsWithAReplayButtonToAdminsOnly() {
        browser.signIn(adminKey);
        browser.open("/console/health");
        List<String> projections = browser.all("table.list tbody th[scope=row]").stream().map(WebElement::getText).toList();
        assertThat(projections).contains("delegations");
        assertThat(browser.all("form.confirm button")).hasSameSizeAs(projections);
        browser.screenshot("health");

        browser.signIn(viewerKey);
        browser.open("/console/health");
        assertThat(browser.text()).contains("Leaks").doesNotContain("Projections");
        assertThat(browser.all("form.confirm")).isEmpty();
    }

    @Test
    void anExpiredSessionIsAskedToSignInAgain() throws Exception {
        browser.signIn(viewerKey);
        String sessionId = browser.driver().manage().getCookieNamed("JSESSIONID").getValue();
        Context console = (Context) ((TomcatWebServer) context.getWebServer()).getTomcat().getHost().findChildren()[0];
        Session session = console.getManager().findSession(sessionId);
        session.setMaxInactiveInterval(1);
        Thread.sleep(1500);
        browser.open("/console/pools");
        assertThat(browser.path()).isEqualTo("/console/sign-in?expired");
        assertThat(browser.text()).contains("Your session has expired");
    }

    private static String key(Api installation, String tenant, String role) {
        Api.Answer created = installation.post("/api/v1/admin/api-keys",
                "{\"tenant\": \"" + tenant + "\", \"role\": \"" + role + "\", \"name\": \"console " + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private static String created(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asString();
    }
}
