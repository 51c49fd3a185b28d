package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The create-federation form. */
final class NewFederationPage {

    private final WebDriver driver;
    private final String base;

    private NewFederationPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static NewFederationPage at(WebDriver driver, String base) {
        NewFederationPage page = new NewFederationPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertEquals("/console/federations/new", Pages.path(driver));
        driver.findElement(By.id("federation-form"));
    }

    /** Replaces what the box for {@code field} holds. */
    NewFederationPage fill(String field, String value) {
        WebElement box = driver.findElement(By.id(field));
        box.clear();
        box.sendKeys(value);
        return this;
    }

    NewFederationPage choose(String field, String option) {
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id(field))).selectByValue(option);
        return this;
    }

    /** Submits a form the server refuses: the same page comes back with the errors. */
    NewFederationPage submitExpectingErrors() {
        Pages.clickThrough(driver, By.id("create"));
        return at(driver, base);
    }

    FederationPage submit() {
        Pages.clickThrough(driver, By.id("create"));
        return FederationPage.at(driver, base);
    }

    /** The error shown beside {@code field}, tied to its box for screen readers. */
    Optional<String> errorOf(String field) {
        var errors = driver.findElements(By.id(field + "-error"));
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        assertEquals("true", driver.findElement(By.id(field)).getDomAttribute("aria-invalid"));
        return Optional.of(errors.getFirst().getText());
    }

    String value(String field) {
        return driver.findElement(By.id(field)).getDomProperty("value");
    }
}
