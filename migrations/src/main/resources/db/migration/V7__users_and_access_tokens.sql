-- People who administer the server, with a role each, and the personal access tokens they use with the REST API.
-- Passwords are stored as Spring Security DelegatingPasswordEncoder strings ('{bcrypt}$2a$10$...'), so the hash
-- names its algorithm and a later default can be introduced without a migration. Rows are never deleted: a user
-- who leaves is disabled (their tokens stop working with them), a token is revoked; the audit log names both.

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL,
    enabled       boolean     NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT users_username UNIQUE (username),
    -- Lower-case names: no two users differ only in case, and no name contains ':' (actors such as 'client:<id>'
    -- and 'system:startup' share the audit log's actor column).
    CONSTRAINT users_username_form CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
    CONSTRAINT users_role CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER'))
);

-- Secrets are stored as SHA-256 digests like every other bearer secret (admin tokens, client credentials).
CREATE TABLE access_tokens (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    token_hash   text        NOT NULL,
    name         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT access_tokens_token_hash UNIQUE (token_hash),
    CONSTRAINT access_tokens_expiry CHECK (expires_at > created_at)
);
CREATE INDEX access_tokens_user ON access_tokens (user_id, created_at);
