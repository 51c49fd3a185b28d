package dev.hansa.server.audit;

import dev.hansa.server.system.RowViews;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The read side of the audit log (the write side is {@code system.AuditLog}): entries newest first, filtered, one
 * page at a time with the total count of matching entries.
 */
@Repository
class AuditLogReader {

    private static final String SQL_SELECT = "SELECT id, at, actor, action, target, details FROM audit_log";
    private static final String SQL_COUNT = "SELECT count(*) FROM audit_log";
    private static final String SQL_ORDER = " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset";

    private final JdbcClient jdbc;
    private final RowViews views;

    AuditLogReader(JdbcClient jdbc, RowViews views) {
        this.jdbc = jdbc;
        this.views = views;
    }

    /** {@code items} (newest first), {@code page}, {@code size} and {@code total} (entries matching, all pages). */
    @Transactional(readOnly = true)
    Map<String, Object> page(AuditLogQuery q) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(q, params);
        JdbcClient.StatementSpec items = jdbc.sql(SQL_SELECT + where + SQL_ORDER).params(params)
                .param("limit", q.size()).param("offset", (long) q.page() * q.size());
        long total = jdbc.sql(SQL_COUNT + where).params(params).query(Long.class).single();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", views.view(items.query().listOfRows()));
        out.put("page", q.page());
        out.put("size", q.size());
        out.put("total", total);
        return out;
    }

    /** The WHERE clause of the filters given, from fixed conditions only; their values go into {@code params}. */
    private static String where(AuditLogQuery q, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (q.actor() != null) {
            conditions.add("actor = :actor");
            params.put("actor", q.actor());
        }
        if (q.action() != null) {
            conditions.add("action = :action");
            params.put("action", q.action());
        }
        if (q.target() != null) {
            conditions.add("target = :target");
            params.put("target", q.target());
        }
        if (q.from() != null) {
            conditions.add("at >= :from");
            params.put("from", q.from());
        }
        if (q.to() != null) {
            conditions.add("at < :to");
            params.put("to", q.to());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
