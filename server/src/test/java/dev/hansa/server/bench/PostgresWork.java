package dev.hansa.server.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What PostgreSQL did during a measured phase, from its own statistics: WAL volume and the time spent writing and
 * flushing it (pg_stat_wal), data-file writes, extensions and fsyncs per process type (pg_stat_io), and the CPU time
 * of the postmaster and its children. {@link #start} turns on I/O timing and resets the counters.
 */
final class PostgresWork {

    private static final double MIB = 1024.0 * 1024;

    private final JdbcClient db;
    private final long postmasterPid;
    private final double cpuBefore;
    private final boolean statements;

    private PostgresWork(JdbcClient db, long postmasterPid, boolean statements) {
        this.db = db;
        this.postmasterPid = postmasterPid;
        this.statements = statements;
        this.cpuBefore = cpuSeconds(postmasterPid);
    }

    static PostgresWork start(JdbcClient db, long postmasterPid) {
        db.sql("ALTER SYSTEM SET track_io_timing = on").update();
        db.sql("ALTER SYSTEM SET track_wal_io_timing = on").update();
        db.sql("SELECT pg_reload_conf()").query().singleValue();
        db.sql("SELECT pg_stat_reset_shared('wal')").query().singleValue();
        db.sql("SELECT pg_stat_reset_shared('io')").query().singleValue();
        db.sql("SELECT pg_stat_reset()").query().singleValue();
        // Time per statement when the server preloads pg_stat_statements
        // (-Dhansa.database-settings.shared_preload_libraries=pg_stat_statements).
        boolean statements = db.sql("SHOW shared_preload_libraries").query(String.class).single()
                .contains("pg_stat_statements");
        if (statements) {
            db.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
            db.sql("SELECT pg_stat_statements_reset()").query().singleValue();
        }
        return new PostgresWork(db, postmasterPid, statements);
    }

    /** CPU seconds of the postmaster and all its children (backends, WAL writer, checkpointer, ...) alive now. */
    static double cpuSeconds(long postmasterPid) {
        return ProcessHandle.of(postmasterPid).stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum() / 1e9;
    }

    double cpuSecondsSinceStart() {
        return cpuSeconds(postmasterPid) - cpuBefore;
    }

    /** The report, one line per source, counters since {@link #start}. */
    List<String> report() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        Thread.sleep(1500); // an idle backend publishes its statistics at most once a second

        db.sql("SELECT xact_commit, active_time, session_time FROM pg_stat_database WHERE datname = current_database()")
                .query(rs -> {
                    lines.add(String.format(Locale.ROOT, "pg_stat_database: %d commits; statements ran %.2f s "
                                    + "(summed over sessions)", rs.getLong(1), rs.getDouble(2) / 1000));
                });
        db.sql("SELECT wal_bytes, wal_fpi, wal_buffers_full, wal_write, wal_write_time, wal_sync, wal_sync_time "
                + "FROM pg_stat_wal").query(rs -> {
                    lines.add(String.format(Locale.ROOT, "pg_stat_wal: %.1f MiB of WAL (%d full-page images), %d writes "
                                    + "taking %.2f s, %d flushes taking %.2f s, WAL buffers full %d times",
                            rs.getLong(1) / MIB, rs.getLong(2), rs.getLong(4), rs.getDouble(5) / 1000, rs.getLong(6),
                            rs.getDouble(7) / 1000, rs.getLong(3)));
                });
        db.sql("SELECT backend_type, sum(writes * op_bytes), sum(write_time), sum(extends * op_bytes), "
                + "sum(extend_time), sum(fsyncs), sum(fsync_time) FROM pg_stat_io GROUP BY backend_type "
                + "HAVING sum(writes) + sum(extends) + coalesce(sum(fsyncs), 0) > 0 ORDER BY backend_type")
                .query(rs -> {
                    lines.add(String.format(Locale.ROOT, "pg_stat_io %s: wrote %.1f MiB in %.2f s, extended %.1f MiB in "
                                    + "%.2f s, %d fsyncs in %.2f s", rs.getString(1), rs.getLong(2) / MIB,
                            rs.getDouble(3) / 1000, rs.getLong(4) / MIB, rs.getDouble(5) / 1000, rs.getLong(6),
                            rs.getDouble(7) / 1000));
                });
        if (statements) {
            db.sql("SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                    + "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 6").query(rs -> {
                        lines.add(String.format(Locale.ROOT, "pg_stat_statements: %5d calls, %7.2f s, %6.2f ms each: %s",
                                rs.getLong(1), rs.getDouble(2) / 1000, rs.getDouble(2) / rs.getLong(1), rs.getString(3)));
                    });
        }
        return lines;
    }
}
