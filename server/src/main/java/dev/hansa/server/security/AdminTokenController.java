package dev.hansa.server.security;

import dev.hansa.server.people.TokenUser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin tokens through the admin API (ADMIN): list, issue, revoke. Each acts as the bootstrap admin. */
@RestController
@RequestMapping("/api/v1/admin/admin-tokens")
class AdminTokenController {

    /** Request for a new admin token. */
    record IssueRequest(String name) {
    }

    private final AdminTokens tokens;

    AdminTokenController(AdminTokens tokens) {
        this.tokens = tokens;
    }

    /** Every admin token with its state; {@code current} marks the one this request used, if it used one. */
    @GetMapping
    List<Map<String, Object>> list(@AuthenticationPrincipal TokenUser me) {
        return tokens.all().stream().map(t -> {
            Map<String, Object> view = t.view();
            view.put("current", me.kind() == TokenUser.Kind.ADMIN_TOKEN && t.id().equals(me.tokenId()));
            return view;
        }).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> issue(@RequestBody(required = false) IssueRequest body) {
        AdminTokens.Issued issued = tokens.issue(body == null ? null : body.name());
        Map<String, Object> view = new LinkedHashMap<>(issued.token().view());
        view.put("token", issued.secret());
        return view;
    }

    @PostMapping("/{tokenId}/revoke")
    Map<String, Object> revoke(@PathVariable UUID tokenId) {
        return tokens.revoke(tokenId).view();
    }
}
