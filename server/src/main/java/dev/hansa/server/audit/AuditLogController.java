package dev.hansa.server.audit;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who did what, when: the audit log through the admin API, filtered and paged, newest first. */
@RestController
@RequestMapping("/api/v1/admin")
class AuditLogController {

    private final AuditLogReader reader;

    AuditLogController(AuditLogReader reader) {
        this.reader = reader;
    }

    @GetMapping("/audit-log")
    Map<String, Object> auditLog(@RequestParam(required = false) String actor,
                                 @RequestParam(required = false) String action,
                                 @RequestParam(required = false) String target,
                                 @RequestParam(required = false) String from,
                                 @RequestParam(required = false) String to,
                                 @RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size) {
        return reader.page(AuditLogQuery.of(actor, action, target, from, to, page, size));
    }
}
