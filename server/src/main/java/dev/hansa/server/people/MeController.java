package dev.hansa.server.people;

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

/** The calling user: who they are, and their personal access tokens (any role). */
@RestController
@RequestMapping("/api/v1/me")
class MeController {

    /** What a user sets on a new token: its name and lifetime, nothing else. */
    record TokenRequest(String name, Integer expiresInDays) {
    }

    private final Users users;
    private final AccessTokens tokens;

    MeController(Users users, AccessTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** The user, with the credential this request used ({@code kind}, {@code id}). */
    @GetMapping
    Map<String, Object> me(@AuthenticationPrincipal TokenUser me) {
        Map<String, Object> view = users.require(me.userId()).view();
        view.put("credential", Map.of("kind", me.kind().name(), "id", me.tokenId().toString()));
        return view;
    }

    @GetMapping("/tokens")
    List<Map<String, Object>> tokens(@AuthenticationPrincipal TokenUser me) {
        return tokens.views(me.userId());
    }

    /** Creates a token; its secret ({@code token}) is in this answer only. */
    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(@AuthenticationPrincipal TokenUser me,
                               @RequestBody(required = false) TokenRequest body) {
        TokenRequest request = body == null ? new TokenRequest(null, null) : body;
        AccessTokens.Issued issued = tokens.create(users.require(me.userId()), request.name(), request.expiresInDays());
        Map<String, Object> view = new LinkedHashMap<>(tokens.view(issued.token()));
        view.put("token", issued.secret());
        return view;
    }

    @PostMapping("/tokens/{tokenId}/revoke")
    Map<String, Object> revoke(@AuthenticationPrincipal TokenUser me, @PathVariable UUID tokenId) {
        return tokens.view(tokens.revoke(me.userId(), tokenId));
    }
}
