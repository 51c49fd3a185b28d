package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The federations list. */
final class FederationsPage {

    private final WebDriver driver;
    private final String base;

    private FederationsPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static FederationsPage open(WebDriver driver, String base) {
        driver.get(base + "/console/federations");
        return at(driver, base);
    }

    static FederationsPage at(WebDriver driver, String base) {
        FederationsPage page = new FederationsPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertEquals("/console/federations", Pages.path(driver));
    }

    List<String> names() {
        return driver.findElements(By.cssSelector("#federations tbody td:first-child a")).stream()
                .map(WebElement::getText).toList();
    }

    /** The state and progress columns of the federation called {@code name}. */
    String row(String name) {
        return driver.findElements(By.cssSelector("#federations tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("td a")).getText().equals(name)).findFirst()
                .orElseThrow().getText();
    }

    boolean canCreate() {
        return !driver.findElements(By.id("new-federation")).isEmpty();
    }

    FederationFormPage create() {
        Pages.clickThrough(driver, By.id("new-federation"));
        return FederationFormPage.at(driver, base);
    }

    FederationPage open(String name) {
        Pages.clickThrough(driver, By.linkText(name));
        return FederationPage.at(driver, base);
    }

    LoginPage logOut() {
        return Pages.logOut(driver, base);
    }
}
