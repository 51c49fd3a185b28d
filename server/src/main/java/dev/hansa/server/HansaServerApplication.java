package dev.hansa.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Hansa server: REST API, round orchestration and the PostgreSQL round ledger. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HansaServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(HansaServerApplication.class, args);
    }
}
