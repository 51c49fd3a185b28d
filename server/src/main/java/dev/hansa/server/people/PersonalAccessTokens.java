package dev.hansa.server.people;

import dev.hansa.server.system.HansaProblem;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A signed-in person's own personal access tokens, found by username: what the console's token page needs, whose
 * principal is the username of a password login. Creating and revoking go through {@link AccessTokens}, so they are
 * validated and audit-logged as through {@code /api/v1/me/tokens}.
 */
@Service
public class PersonalAccessTokens {

    private final UserRepository users;
    private final AccessTokens tokens;

    PersonalAccessTokens(UserRepository users, AccessTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    public List<Map<String, Object>> of(String username) {
        return tokens.views(user(username).id());
    }

    /** Creates a token and returns its secret, which is stored only hashed. */
    public String create(String username, String name, Integer expiresInDays) {
        return tokens.create(user(username), name, expiresInDays).secret();
    }

    public void revoke(String username, UUID tokenId) {
        tokens.revoke(user(username).id(), tokenId);
    }

    private User user(String username) {
        return users.find(username).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-user", "no user " + username));
    }
}
