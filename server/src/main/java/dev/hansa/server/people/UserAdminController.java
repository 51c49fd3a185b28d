package dev.hansa.server.people;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * User management (ADMIN): create, change role, disable and enable, reset password, and every user's personal access
 * tokens. Answers never hold password hashes; requests hold only the fields each change sets.
 */
@RestController
@RequestMapping("/api/v1/admin/users")
class UserAdminController {

    /** A new user: name, initial password and role. */
    record CreateRequest(String username, String password, String role) {
    }

    /** A role change. */
    record RoleRequest(String role) {
    }

    /** A password reset. */
    record PasswordRequest(String password) {
    }

    private final Users users;
    private final AccessTokens tokens;

    UserAdminController(Users users, AccessTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping
    List<Map<String, Object>> list() {
        return users.all().stream().map(User::view).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(@RequestBody(required = false) CreateRequest body) {
        CreateRequest request = body == null ? new CreateRequest(null, null, null) : body;
        return users.create(request.username(), request.password(), request.role()).view();
    }

    @GetMapping("/{userId}")
    Map<String, Object> get(@PathVariable UUID userId) {
        return users.require(userId).view();
    }

    @PostMapping("/{userId}/role")
    Map<String, Object> role(@PathVariable UUID userId, @RequestBody(required = false) RoleRequest body) {
        return users.changeRole(userId, body == null ? null : body.role()).view();
    }

    @PostMapping("/{userId}/disable")
    Map<String, Object> disable(@PathVariable UUID userId) {
        return users.setEnabled(userId, false).view();
    }

    @PostMapping("/{userId}/enable")
    Map<String, Object> enable(@PathVariable UUID userId) {
        return users.setEnabled(userId, true).view();
    }

    @PostMapping("/{userId}/password")
    Map<String, Object> password(@PathVariable UUID userId, @RequestBody(required = false) PasswordRequest body) {
        return users.resetPassword(userId, body == null ? null : body.password()).view();
    }

    @GetMapping("/{userId}/tokens")
    List<Map<String, Object>> tokens(@PathVariable UUID userId) {
        return tokens.views(users.require(userId).id());
    }

    @PostMapping("/{userId}/tokens/{tokenId}/revoke")
    Map<String, Object> revokeToken(@PathVariable UUID userId, @PathVariable UUID tokenId) {
        return tokens.view(tokens.revoke(users.require(userId).id(), tokenId));
    }
}
