-- Federations, their enrolled clients, and the credentials that let people and clients in.
-- Every secret is stored only as the SHA-256 hex digest of a 256-bit random token.

CREATE TABLE federations (
    id             uuid PRIMARY KEY,
    name           text        NOT NULL,
    config         jsonb       NOT NULL,
    strategy       text        NOT NULL,
    seed           bigint      NOT NULL,
    status         text        NOT NULL CHECK (status IN ('CREATED', 'RUNNING', 'STOPPED', 'FINISHED', 'FAILED')),
    failure_reason text,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz
);

CREATE TABLE clients (
    id                uuid PRIMARY KEY,
    federation_id     uuid        NOT NULL REFERENCES federations (id),
    name              text        NOT NULL,
    credential_hash   text        NOT NULL UNIQUE,
    num_samples       bigint,
    device            jsonb,
    enrolled_at       timestamptz NOT NULL,
    last_heartbeat_at timestamptz
);
CREATE INDEX clients_federation_heartbeat ON clients (federation_id, last_heartbeat_at);

CREATE TABLE enrollment_tokens (
    token_hash    text PRIMARY KEY,
    federation_id uuid        NOT NULL REFERENCES federations (id),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    used_by       uuid REFERENCES clients (id),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);

CREATE TABLE admin_tokens (
    token_hash text PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
