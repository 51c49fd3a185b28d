package dev.hansa.server.database;

import java.nio.file.Path;

/** Another running server owns the embedded database's data directory; nothing was touched. */
final class DataDirectoryInUseException extends IllegalStateException {

    private final Path dataDir;
    private final String owner;

    DataDirectoryInUseException(Path dataDir, String owner) {
        super("data directory " + dataDir + " is in use by another Hansa server (" + owner + ")");
        this.dataDir = dataDir;
        this.owner = owner;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String owner() {
        return owner;
    }
}
