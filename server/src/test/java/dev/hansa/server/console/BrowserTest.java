package dev.hansa.server.console;

import dev.hansa.server.EmbeddedServerTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A console test in a real headless Chromium ({@link Browser}) against the running server: the console's test users
 * exist with their roles, and each test gets a fresh laptop-sized window that is closed after it.
 */
abstract class BrowserTest extends EmbeddedServerTest {

    protected ChromeDriver driver;
    protected String base;

    @BeforeEach
    void openBrowser() throws IOException {
        ConsoleUsers.ensure(api);
        base = "http://127.0.0.1:" + port;
        driver = Browser.open(1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }
}
