package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The confirmation step of deleting a federation: type its name, then delete. */
final class DeleteFederationPage {

    private final WebDriver driver;
    private final String base;

    private DeleteFederationPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static DeleteFederationPage at(WebDriver driver, String base) {
        assertTrue(Pages.path(driver).matches("/console/federations/[0-9a-f-]{36}/delete"), Pages.path(driver));
        driver.findElement(By.id("delete-form"));
        return new DeleteFederationPage(driver, base);
    }

    /** What the page says goes with the federation, and what to type. */
    String explanation() {
        return driver.findElement(By.cssSelector("main .card")).getText();
    }

    /** Types {@code name} and deletes: the federations list follows. */
    FederationsPage confirm(String name) {
        type(name);
        return FederationsPage.at(driver, base);
    }

    /** Types a name the server does not accept: the same page comes back with the error. */
    DeleteFederationPage confirmExpectingError(String name) {
        type(name);
        return at(driver, base);
    }

    /** The error beside the name box, or null. */
    String error() {
        var found = driver.findElements(By.id("confirmName-error"));
        return found.isEmpty() ? null : found.getFirst().getText();
    }

    private void type(String name) {
        WebElement box = driver.findElement(By.id("confirmName"));
        box.clear();
        box.sendKeys(name);
        Pages.clickThrough(driver, By.id("confirm-delete"));
    }
}
