package dev.hansa.server.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says where the console is once the server listens, so that {@code hansa serve} prints a URL to open. */
@Component
class ConsoleAddress implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAddress.class);
    private final Environment environment;

    ConsoleAddress(Environment environment) {
        this.environment = environment;
    }

    /** The console's URL on a server listening on {@code address} (empty or a wildcard: this host) and {@code port}. */
    static String url(String address, int port) {
        String host = address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")
                ? "localhost" : address.contains(":") ? "[" + address + "]" : address;
        return "http://" + host + ":" + port + "/console";
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        log.info("console: {} (users log in there; the bootstrap admin is 'admin')",
                url(environment.getProperty("server.address"), event.getWebServer().getPort()));
    }
}
