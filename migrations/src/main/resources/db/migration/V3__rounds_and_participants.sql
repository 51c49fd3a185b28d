-- Rounds and their participants: every state change of a round is a row or a column here, so a federation's history
-- can be reconstructed with SQL alone. A failed round (no quorum by the deadline) is retried as a new attempt with
-- the same number.

CREATE TABLE rounds (
    id                uuid PRIMARY KEY,
    federation_id     uuid        NOT NULL REFERENCES federations (id),
    number            integer     NOT NULL CHECK (number >= 1),
    attempt           integer     NOT NULL CHECK (attempt >= 1),
    state             text        NOT NULL CHECK (state IN ('OPEN', 'CLOSED', 'FAILED', 'CANCELLED')),
    strategy          text        NOT NULL,
    strategy_params   jsonb       NOT NULL,
    seed              bigint      NOT NULL,
    model_version_in  uuid        NOT NULL REFERENCES model_versions (id),
    model_version_out uuid REFERENCES model_versions (id),
    broadcast_hash    text,
    participants      integer     NOT NULL,
    total_clients     integer     NOT NULL,
    quorum            integer     NOT NULL,
    accepted          integer     NOT NULL DEFAULT 0,
    metrics           jsonb,
    failure_reason    text,
    opened_at         timestamptz NOT NULL,
    deadline_at       timestamptz NOT NULL,
    closed_at         timestamptz,
    UNIQUE (federation_id, number, attempt)
);
-- At most one open round per federation, enforced by the database even with several server replicas.
CREATE UNIQUE INDEX rounds_one_open ON rounds (federation_id) WHERE state = 'OPEN';

CREATE TABLE round_participants (
    round_id          uuid        NOT NULL REFERENCES rounds (id),
    client_id         uuid        NOT NULL REFERENCES clients (id),
    ordinal           integer     NOT NULL,
    plan              jsonb       NOT NULL,
    state             text        NOT NULL CHECK (state IN ('ASSIGNED', 'ACCEPTED', 'DROPPED', 'LATE')),
    idempotency_key   text,
    accepted_response jsonb,
    bytes_received    bigint,
    update_norm       double precision,
    num_samples       bigint,
    train_metrics     jsonb,
    eval_metrics      jsonb,
    rejection_reason  text,
    rejections        integer     NOT NULL DEFAULT 0,
    assigned_at       timestamptz NOT NULL,
    reported_at       timestamptz,
    PRIMARY KEY (round_id, client_id),
    CHECK ((state = 'ACCEPTED') = (idempotency_key IS NOT NULL))
);
CREATE INDEX round_participants_client ON round_participants (client_id, state);
