package dev.hansa.server.console;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What every page object needs: where the browser is, waiting for the page to change, the header's logout. */
final class Pages {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Pages() {
    }

    static String path(WebDriver driver) {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    static <T> T await(WebDriver driver, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).until(condition);
    }

    /**
     * Clicks what {@code target} finds and waits until the browser shows the next page. Polling may replace the
     * element between finding and clicking it: then it is found again.
     */
    static void clickThrough(WebDriver driver, By target) {
        WebElement page = driver.findElement(By.tagName("html"));
        await(driver, d -> {
            try {
                d.findElement(target).click();
                return true;
            } catch (StaleElementReferenceException replaced) {
                return false;
            }
        });
        await(driver, ExpectedConditions.stalenessOf(page));
    }

    /** The flash message the layout shows after a refused change, or null. */
    static String flash(WebDriver driver) {
        var found = driver.findElements(By.id("flash"));
        return found.isEmpty() ? null : found.getFirst().getText();
    }

    static LoginPage logOut(WebDriver driver, String base) {
        clickThrough(driver, By.id("logout"));
        return LoginPage.at(driver, base);
    }
}
