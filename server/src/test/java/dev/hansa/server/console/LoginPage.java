package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The console's sign-in page. */
final class LoginPage {

    private final WebDriver driver;
    private final String base;

    private LoginPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static LoginPage open(WebDriver driver, String base) {
        driver.get(base + "/console/login");
        return at(driver, base);
    }

    static LoginPage at(WebDriver driver, String base) {
        LoginPage page = new LoginPage(driver, base);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertEquals("/console/login", Pages.path(driver));
        assertEquals("password", driver.findElement(By.id("password")).getDomAttribute("type"));
    }

    FederationsPage logIn(String user, String password) {
        submit(user, password);
        return FederationsPage.at(driver, base);
    }

    LoginPage logInExpectingFailure(String user, String password) {
        submit(user, password);
        return at(driver, base);
    }

    boolean showsFailure() {
        return !driver.findElements(By.cssSelector(".notice.error[role=alert]")).isEmpty();
    }

    boolean showsLoggedOut() {
        return !driver.findElements(By.cssSelector(".notice[role=status]")).isEmpty();
    }

    private void submit(String user, String password) {
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        Pages.clickThrough(driver, By.cssSelector("main button[type=submit]"));
    }
}
