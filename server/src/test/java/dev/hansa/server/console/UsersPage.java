package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The ADMIN's users page: the users table, the create form with its field errors, each row's changes. */
final class UsersPage {

    private final WebDriver driver;
    private final String base;

    private UsersPage(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Follows the header's users link, which only an ADMIN sees. */
    static UsersPage fromNavigation(WebDriver driver, String base) {
        Pages.clickThrough(driver, By.id("nav-users"));
        return at(driver, base);
    }

    static UsersPage at(WebDriver driver, String base) {
        assertEquals("/console/users", Pages.path(driver));
        assertEquals("Users", driver.findElement(By.tagName("h1")).getText());
        return new UsersPage(driver, base);
    }

    List<String> usernames() {
        return driver.findElements(By.cssSelector("#users tbody tr")).stream()
                .map(r -> r.getDomAttribute("data-user")).toList();
    }

    /** The user's row: {@code data-role} or {@code data-enabled}. */
    String attributeOf(String username, String attribute) {
        return row(username).getDomAttribute("data-" + attribute);
    }

    UsersPage create(String username, String password, String role) {
        WebElement name = driver.findElement(By.id("username"));
        name.clear();
        name.sendKeys(username);
        WebElement secret = driver.findElement(By.id("password"));
        secret.clear();
        secret.sendKeys(password);
        new Select(driver.findElement(By.id("role"))).selectByValue(role);
        Pages.clickThrough(driver, By.id("create-user-submit"));
        return at(driver, base);
    }

    /** The inline error beside form field {@code field}, or null. */
    String fieldError(String field) {
        var found = driver.findElements(By.id(field + "-error"));
        return found.isEmpty() ? null : found.getFirst().getText();
    }

    UsersPage changeRole(String username, String role) {
        new Select(driver.findElement(By.id("role-" + username))).selectByValue(role);
        Pages.clickThrough(driver, By.id("change-role-" + username));
        return at(driver, base);
    }

    UsersPage press(String button, String username) {
        Pages.clickThrough(driver, By.id(button + "-" + username));
        return at(driver, base);
    }

    UsersPage resetPassword(String username, String password) {
        driver.findElement(By.id("password-" + username)).sendKeys(password);
        return press("reset-password", username);
    }

    private WebElement row(String username) {
        return driver.findElement(By.cssSelector("#users tbody tr[data-user='" + username + "']"));
    }
}
