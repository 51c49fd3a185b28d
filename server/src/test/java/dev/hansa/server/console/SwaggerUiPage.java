package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Swagger UI, reached from the console's header, once it has rendered the API's description. */
final class SwaggerUiPage {

    private static final By OPERATION_PATHS = By.cssSelector(".opblock-summary-path[data-path]");

    private final WebDriver driver;

    private SwaggerUiPage(WebDriver driver) {
        this.driver = driver;
    }

    /** Follows the header's API link. */
    static SwaggerUiPage fromNavigation(WebDriver driver) {
        Pages.clickThrough(driver, By.id("nav-api"));
        SwaggerUiPage page = new SwaggerUiPage(driver);
        page.assertAt();
        return page;
    }

    void assertAt() {
        assertEquals("/swagger-ui/index.html", Pages.path(driver));
        Pages.await(driver, ExpectedConditions.presenceOfElementLocated(OPERATION_PATHS));
    }

    /** "GET /api/v1/admin/federations" for every operation listed. */
    List<String> operations() {
        return driver.findElements(By.cssSelector(".opblock")).stream()
                .map(op -> op.findElement(By.cssSelector(".opblock-summary-method")).getText() + " "
                        + op.findElement(OPERATION_PATHS).getDomAttribute("data-path"))
                .toList();
    }

    /** Enters a bearer token in Authorize, which "Try it out" then sends. */
    SwaggerUiPage authorize(String token) {
        driver.findElement(By.cssSelector("button.btn.authorize")).click();
        WebElement value = Pages.await(driver,
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[aria-label=auth-bearer-value]")));
        value.sendKeys(token);
        driver.findElement(By.cssSelector(".modal-ux button.modal-btn.auth.authorize")).click();
        Pages.await(driver, ExpectedConditions.elementToBeClickable(By.cssSelector(".modal-ux button.btn-done")))
                .click();
        return this;
    }

    /** Tries out {@code method path} (an operation without parameters); returns the status and body it got. */
    Response tryOut(String method, String path) {
        WebElement operation = driver.findElement(By.xpath("//div[contains(@class,'opblock-" + method.toLowerCase()
                + "')][.//*[@data-path='" + path + "']]"));
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        Pages.await(driver, ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector(
                "button.try-out__btn")))).click();
        Pages.await(driver, ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector(
                "button.execute")))).click();
        By status = By.cssSelector(".live-responses-table .response .response-col_status");
        Pages.await(driver, d -> !operation.findElements(status).isEmpty());
        return new Response(operation.findElement(status).getText().trim(), operation.findElement(
                By.cssSelector(".live-responses-table .response-col_description pre")).getText());
    }

    /** What "Try it out" shows of a response. */
    record Response(String status, String body) {
    }
}
