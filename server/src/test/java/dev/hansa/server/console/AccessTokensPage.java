package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The signed-in person's access tokens. */
final class AccessTokensPage {

    private final WebDriver driver;
    private final String base;

    private AccessTokensPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Follows the header's link. */
    static AccessTokensPage open(WebDriver driver, String base) {
        Pages.clickThrough(driver, By.linkText("Access tokens"));
        return at(driver, base);
    }

    static AccessTokensPage at(WebDriver driver, String base) {
        AccessTokensPage page = new AccessTokensPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertEquals("/console/tokens", Pages.path(driver));
        driver.findElement(By.id("create-form"));
    }

    /** Creates a token named {@code name}; returns its secret, shown once. */
    String create(String name) {
        driver.findElement(By.id("name")).sendKeys(name);
        Pages.clickThrough(driver, By.id("create-token"));
        assertAt();
        return driver.findElement(By.id("secret")).getText();
    }

    String stateOf(String name) {
        return driver.findElements(By.cssSelector("#access-tokens tbody tr")).stream()
                .filter(r -> r.findElement(By.tagName("td")).getText().equals(name)).findFirst().orElseThrow()
                .getDomAttribute("data-state");
    }

    AccessTokensPage revoke(String name) {
        String id = driver.findElements(By.cssSelector("#access-tokens tbody tr")).stream()
                .filter(r -> r.findElement(By.tagName("td")).getText().equals(name)).findFirst().orElseThrow()
                .getDomAttribute("data-token");
        Pages.clickThrough(driver, By.id("revoke-" + id));
        return at(driver, base);
    }
}
