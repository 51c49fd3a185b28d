-- Accepted updates of open rounds, kept so a restarted server (or another replica) can rebuild the round's running
-- aggregate; deleted when the round closes. Append-only, so uploads never rewrite a large row.

CREATE TABLE round_updates (
    round_id  uuid  NOT NULL,
    client_id uuid  NOT NULL,
    blob      bytea NOT NULL,
    PRIMARY KEY (round_id, client_id),
    FOREIGN KEY (round_id, client_id) REFERENCES round_participants (round_id, client_id)
);
ALTER TABLE round_updates ALTER COLUMN blob SET STORAGE EXTERNAL;

-- Every administrative change and every rejected upload, with who did it.
CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    action  text        NOT NULL,
    target  text,
    details jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
