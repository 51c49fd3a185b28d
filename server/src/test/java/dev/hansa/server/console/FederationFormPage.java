package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The federation config form: new (create) or a federation's edit page (prefilled, save). */
final class FederationFormPage {

    private final WebDriver driver;
    private final String base;

    private FederationFormPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static FederationFormPage at(WebDriver driver, String base) {
        FederationFormPage page = new FederationFormPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertTrue(Pages.path(driver).matches("/console/federations/(new|[0-9a-f-]{36}/edit)"), Pages.path(driver));
        driver.findElement(By.id("federation-form"));
    }

    /** Replaces what the box for {@code field} holds. */
    FederationFormPage fill(String field, String value) {
        WebElement box = driver.findElement(By.id(field));
        box.clear();
        box.sendKeys(value);
        return this;
    }

    FederationFormPage choose(String field, String option) {
        new Select(driver.findElement(By.id(field))).selectByValue(option);
        return this;
    }

    /** Submits a form the server refuses: the same page comes back with the errors. */
    FederationFormPage submitExpectingErrors() {
        Pages.clickThrough(driver, By.id("save"));
        return at(driver, base);
    }

    FederationPage submit() {
        Pages.clickThrough(driver, By.id("save"));
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

    /** The fields that show an error. */
    List<String> fieldsWithErrors() {
        return driver.findElements(By.cssSelector("#federation-form .field .error")).stream()
                .map(e -> e.getDomAttribute("id").replaceFirst("-error$", "")).toList();
    }

    /** Scrolls the element {@code id} (a fieldset) to the top of the window. */
    void scrollTo(String id) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id(id)));
    }

    String value(String field) {
        return driver.findElement(By.id(field)).getDomProperty("value");
    }
}
