package dev.hansa.server.round;

import dev.hansa.aggregation.aggregate.MappedRowStore;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.RowStore;
import dev.hansa.server.system.HansaProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The values of the accepted updates of open rounds whose pipeline needs the whole round (a robust aggregator, or
 * pre-aggregators), off the heap: one {@link MappedRowStore} file per round in {@code hansa.round-dir}, a slot per
 * participant (its ordinal), written while its upload is stored and read through a mapping when the round closes.
 * The heap holds only what a round needs besides the values ({@link RoundAggregation.Kept}, a few numbers per
 * update).
 *
 * <p>Like {@link RunningAggregates}, only a cache of what PostgreSQL holds: a participant's row counts as kept once
 * it was written in full, within the transaction that accepts the upload, under the round row's share lock (so no
 * close or cancellation runs meanwhile). A round closes from the rows it kept and writes the others from their
 * stored updates (after a restart, whose start discards every file an earlier process left, or after a cancellation
 * that rolled back). A round's file is deleted when the round ends, closed, failed or cancelled.
 */
@Component
class RoundFiles {

    private static final Logger log = LoggerFactory.getLogger(RoundFiles.class);
    private static final String SUFFIX = ".rows";

    private final Path directory;
    private final Map<UUID, Rows> byRound = new ConcurrentHashMap<>();

    RoundFiles(HansaProperties properties, Environment environment) throws IOException {
        Path database = Path.of(environment.getProperty("hansa.database-dir", "hansa-data/postgres"));
        this.directory = (properties.roundDir() != null ? properties.roundDir()
                : database.toAbsolutePath().resolveSibling("rounds")).toAbsolutePath();
        Files.createDirectories(directory);
        int discarded = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                Files.delete(file);
                discarded++;
            }
        }
        if (discarded > 0) {
            log.info("discarded {} round file(s) an earlier run left in {}; their rounds read the stored updates "
                    + "again when they close", discarded, directory);
        }
    }

    /** Where the files are. */
    Path directory() {
        return directory;
    }

    /** The round's rows, with no file until the first write. */
    Rows rows(UUID round, int participants, int dimension) {
        return byRound.computeIfAbsent(round, r -> new Rows(directory.resolve(r + SUFFIX), participants, dimension));
    }

    /** Deletes the round's file and forgets its rows (the round ended, or its cache is dropped). */
    void release(UUID round) {
        Rows rows = byRound.remove(round);
        if (rows != null) {
            rows.release();
        }
    }

    /** Drops every round's rows, as a crash would (tests use it to exercise the rebuild from stored updates). */
    void clear() {
        byRound.keySet().forEach(this::release);
    }

    @PreDestroy
    void close() {
        clear();
    }

    /** One round's file and the participants whose accepted row it holds. */
    static final class Rows {

        private final Path file;
        private final int participants;
        private final int dimension;
        private final Map<UUID, RoundAggregation.Kept> kept = new ConcurrentHashMap<>();
        private MappedRowStore store;
        private boolean released;

        Rows(Path file, int participants, int dimension) {
            this.file = file;
            this.participants = participants;
            this.dimension = dimension;
        }

        /**
         * Writes the participant's row and counts it as kept; a failed write leaves the participant without a kept
         * row.
         *
         * @throws InsufficientStorage when the file refuses the write (the disk is full or failing)
         */
        void write(UUID client, RoundAggregation.Kept row, float[] values) {
            kept.remove(client);
            try {
                store().write(row.slot(), values);
            } catch (IOException e) {
                log.error("cannot write the update of client {} to {}; the upload is refused with 507", client, file,
                        e);
                throw new InsufficientStorage("this round's updates");
            }
            kept.put(client, row);
        }

        /** The participant's kept row, or null when the file does not hold it. */
        RoundAggregation.Kept kept(UUID client) {
            return kept.get(client);
        }

        /** The store to read the round from (empty when no row was written). */
        synchronized RowStore store() throws IOException {
            if (released) {
                throw new IllegalStateException("the rows of " + file + " were released");
            }
            if (store == null) {
                store = MappedRowStore.create(file, participants, dimension);
            }
            return store;
        }

        synchronized void release() {
            released = true;
            kept.clear();
            try {
                if (store != null) {
                    store.close();
                    store = null;
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }
}
