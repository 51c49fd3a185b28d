package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** A federation's overview: state, the live round, the charts and the rounds table. */
final class FederationPage {

    private final WebDriver driver;
    private final String base;

    private FederationPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static FederationPage open(WebDriver driver, String base, String id) {
        driver.get(base + "/console/federations/" + id);
        return at(driver, base);
    }

    static FederationPage at(WebDriver driver, String base) {
        FederationPage page = new FederationPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertTrue(Pages.path(driver).matches("/console/federations/[0-9a-f-]{36}"), Pages.path(driver));
        assertTrue(driver.findElement(By.id("live")).isDisplayed());
    }

    String id() {
        return Pages.path(driver).substring("/console/federations/".length());
    }

    String name() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    String state() {
        return driver.findElement(By.id("federation-state")).getText();
    }

    String progress() {
        return driver.findElement(By.id("progress")).getText();
    }

    /** The live round's count for {@code what}: assigned, uploaded, rejected or waiting; -1 when no round is open. */
    int current(String what) {
        var found = driver.findElements(By.id(what));
        return found.isEmpty() ? -1 : Integer.parseInt(found.getFirst().getText());
    }

    String countdown() {
        return driver.findElement(By.cssSelector("#current-round .countdown")).getText();
    }

    boolean showsNoOpenRound() {
        return !driver.findElements(By.id("no-round")).isEmpty();
    }

    /** Rounds the chart {@code name} (accuracy, loss, bytes, time) plots now. */
    int chartPoints(String name) {
        String points = driver.findElement(By.id("chart-" + name)).getDomAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    /** The rendered chart has drawn something: its canvas holds non-transparent pixels. */
    boolean chartDrawn(String name) {
        Object drawn = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "var c = document.getElementById(arguments[0]); var d = c.getContext('2d')"
                        + ".getImageData(0, 0, c.width, c.height).data;"
                        + "for (var i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false;",
                "chart-" + name);
        return Boolean.TRUE.equals(drawn);
    }

    /** The rounds table's row for round {@code number}: its state. */
    String roundState(int number) {
        var rows = driver.findElements(By.cssSelector("#rounds tbody tr[data-round='" + number + "']"));
        return rows.isEmpty() ? null : rows.getFirst().getDomAttribute("data-state");
    }

    boolean canStart() {
        return !driver.findElements(By.id("start")).isEmpty();
    }

    boolean canStop() {
        return !driver.findElements(By.id("stop")).isEmpty();
    }

    FederationPage start() {
        return press("start");
    }

    /** Presses the state button {@code id} (start, pause, resume, stop, clone) and lands on a federation's page. */
    FederationPage press(String id) {
        Pages.clickThrough(driver, By.id(id));
        return at(driver, base);
    }

    /** Which of the buttons (start, edit, pause, resume, stop, clone, delete) the page shows. */
    List<String> buttons() {
        return driver.findElements(By.cssSelector("#live .actions .button")).stream()
                .map(b -> b.getDomAttribute("id")).toList();
    }

    /** Opens the config form of a federation that has not started. */
    FederationFormPage edit() {
        Pages.clickThrough(driver, By.id("edit"));
        return FederationFormPage.at(driver, base);
    }

    /** Opens the page that asks to confirm the delete. */
    DeleteFederationPage delete() {
        Pages.clickThrough(driver, By.id("delete"));
        return DeleteFederationPage.at(driver, base);
    }

    /** The privacy card's line (epsilon spent of the budget at delta), or null for a federation without DP. */
    String privacyBudget() {
        var found = driver.findElements(By.id("privacy-spent"));
        return found.isEmpty() ? null : found.getFirst().getText();
    }

    WebDriver driver() {
        return driver;
    }
}
