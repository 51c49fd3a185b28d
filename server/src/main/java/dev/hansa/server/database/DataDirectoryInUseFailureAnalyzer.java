package dev.hansa.server.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused data directory into Spring Boot's start-up failure report instead of a stack trace. */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        return new FailureAnalysis(
                "The embedded PostgreSQL data directory " + cause.dataDir() + " is in use by another Hansa server ("
                        + cause.owner() + "). This server did not start and left that directory alone.",
                "Stop the other server first, or give this one its own data directory with --hansa.database-dir "
                        + "(hansa demo: --data-dir).",
                cause);
    }
}
