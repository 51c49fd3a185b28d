package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A tab of a federation's pages (clients, enrollment tokens, model versions, a round's participants): a table whose
 * rows carry their subject's id, and the buttons on them.
 */
final class FederationTabPage {

    private final WebDriver driver;
    private final String base;
    private final String table;

    private FederationTabPage(WebDriver driver, String base, String table) {
        this.driver = driver;
        this.base = base;
        this.table = table;
    }

    /** Opens tab {@code tab} (clients, tokens, models) of federation {@code id}. */
    static FederationTabPage open(WebDriver driver, String base, String id, String tab) {
        driver.get(base + "/console/federations/" + id + "/" + tab);
        return at(driver, base, tab);
    }

    static FederationTabPage at(WebDriver driver, String base, String table) {
        FederationTabPage page = new FederationTabPage(driver, base, table);
        page.assertAt();
        return page;
    }

    static FederationTabPage round(WebDriver driver, String base, String roundId) {
        driver.get(base + "/console/rounds/" + roundId);
        return at(driver, base, "participants");
    }

    static FederationTabPage audit(WebDriver driver, String base) {
        driver.get(base + "/console/audit");
        return at(driver, base, "audit");
    }

    /** Presses button {@code id} (the round page's cancel-round or retry-round) and lands on the page again. */
    FederationTabPage press(String id) {
        Pages.clickThrough(driver, By.id(id));
        return at(driver, base, table);
    }

    boolean hasButton(String id) {
        return !driver.findElements(By.id(id)).isEmpty();
    }

    /** The flash message a refused change left, or null. */
    String flash() {
        return Pages.flash(driver);
    }

    void assertAt() {
        assertTrue(Pages.path(driver).startsWith("/console/"), Pages.path(driver));
        assertTrue(driver.findElement(By.tagName("h1")).isDisplayed());
    }

    /** The rows of the table, each as the text a person reads. */
    List<String> rows() {
        return driver.findElements(By.cssSelector("#" + table + " tbody tr")).stream().map(WebElement::getText)
                .toList();
    }

    /** The {@code data-state} of the row whose {@code data-<attribute>} is {@code id}. */
    String stateOf(String attribute, String id) {
        return row(attribute, id).getDomAttribute("data-state");
    }

    String rowText(String attribute, String id) {
        return row(attribute, id).getText();
    }

    private WebElement row(String attribute, String id) {
        return driver.findElement(By.cssSelector("#" + table + " tbody tr[data-" + attribute + "='" + id + "']"));
    }

    boolean hasButtons() {
        return !driver.findElements(By.cssSelector("main form button")).isEmpty();
    }

    FederationTabPage revokeClient(String clientId) {
        Pages.clickThrough(driver, By.id("revoke-" + clientId));
        return at(driver, base, table);
    }

    /** Issues {@code count} enrollment tokens valid for {@code hours}. */
    FederationTabPage issueTokens(String count, String hours) {
        WebElement countBox = driver.findElement(By.id("count"));
        countBox.clear();
        countBox.sendKeys(count);
        WebElement ttl = driver.findElement(By.id("ttlHours"));
        ttl.clear();
        ttl.sendKeys(hours);
        Pages.clickThrough(driver, By.id("issue"));
        return at(driver, base, table);
    }

    /** The secrets shown once after issuing. */
    List<String> issuedSecrets() {
        return driver.findElements(By.cssSelector("#issued code.secret")).stream().map(WebElement::getText).toList();
    }

    String issueError() {
        return driver.findElement(By.id("issue-error")).getText();
    }

    /** Follows the audit log link in the header. */
    FederationTabPage auditLog() {
        Pages.clickThrough(driver, By.linkText("Audit log"));
        return at(driver, base, "audit");
    }
}
