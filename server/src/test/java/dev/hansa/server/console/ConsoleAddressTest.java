package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleAddressTest {

    @Test
    void theUrlNamesTheBoundAddressOrThisHostForAWildcard() {
        assertEquals("http://127.0.0.1:8080/console", ConsoleAddress.url("127.0.0.1", 8080));
        assertEquals("http://localhost:9000/console", ConsoleAddress.url(null, 9000));
        assertEquals("http://localhost:9000/console", ConsoleAddress.url("0.0.0.0", 9000));
        assertEquals("http://[::1]:80/console", ConsoleAddress.url("::1", 80));
    }
}
