package dev.hansa.server.demo;

import dev.hansa.server.system.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo's console login: user {@code admin}, whose password the demo generates on its first run into a data
 * directory and keeps in a file there (readable by its owner only), because the server sets the bootstrap admin's
 * password only when it creates that user, on the first start over a database.
 */
final class DemoLogin {

    static final String USER = "admin";

    private DemoLogin() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("console-password");
    }

    /** The password kept in {@code dataDir}, generated and written there when there is none yet. */
    static String password(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        Files.createDirectories(dataDir);
        String password = Secrets.generate("demo-");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return password;
    }
}
