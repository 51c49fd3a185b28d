-- Model versions: the safetensors bytes of every global model with its SHA-256 and the strategy's server state.
-- Float data does not compress, so the blobs are stored out of line without TOAST compression.

CREATE TABLE model_versions (
    id                uuid PRIMARY KEY,
    federation_id     uuid        NOT NULL REFERENCES federations (id),
    version           integer     NOT NULL CHECK (version >= 0),
    content_hash      text        NOT NULL,
    blob              bytea       NOT NULL,
    strategy_state    bytea       NOT NULL,
    produced_by_round uuid,
    created_at        timestamptz NOT NULL,
    UNIQUE (federation_id, version)
);
ALTER TABLE model_versions ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE model_versions ALTER COLUMN strategy_state SET STORAGE EXTERNAL;
CREATE INDEX model_versions_hash ON model_versions (federation_id, content_hash);

-- Tensors a round broadcasts besides the model (e.g. FedAMD's bullseye), content-addressed like models.
CREATE TABLE broadcast_tensors (
    federation_id uuid        NOT NULL REFERENCES federations (id),
    content_hash  text        NOT NULL,
    blob          bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (federation_id, content_hash)
);
ALTER TABLE broadcast_tensors ALTER COLUMN blob SET STORAGE EXTERNAL;
