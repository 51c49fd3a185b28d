-- DP-FTRL (docs/privacy.md, "DP-FTRL"): its rounds go into the same privacy ledger as mechanism 'tree_aggregation'.
-- There is no sampling rate (sampling_rate is null); tree and leaf say where the round's sum sits in the restarted
-- trees, and max_participations / min_separation are the participation limit the accountant assumed and the server
-- enforced. From these rows alone the accountant is rebuilt: one tree per tree number, as many leaves as its last leaf.
ALTER TABLE privacy_ledger DROP CONSTRAINT privacy_ledger_mechanism_check;
ALTER TABLE privacy_ledger ALTER COLUMN sampling_rate DROP NOT NULL;
ALTER TABLE privacy_ledger
    ADD COLUMN tree               integer CHECK (tree >= 1),
    ADD COLUMN leaf               bigint  CHECK (leaf >= 1),
    ADD COLUMN max_participations integer CHECK (max_participations >= 1),
    ADD COLUMN min_separation     integer CHECK (min_separation >= 0),
    ADD CONSTRAINT privacy_ledger_mechanism_check CHECK (
        mechanism = 'sampled_gaussian' AND sampling_rate IS NOT NULL AND tree IS NULL
        OR mechanism = 'tree_aggregation' AND sampling_rate IS NULL AND tree IS NOT NULL AND leaf IS NOT NULL
           AND max_participations IS NOT NULL AND min_separation IS NOT NULL);

-- The secret each DP-FTRL federation derives its tree's node noise from (HMAC-SHA256 keys per node): a restarted
-- server draws the running tree's nodes again from it instead of storing noise. Whoever reads it can subtract the
-- noise from the released models, so it is never returned by any API; deleting the federation deletes it.
CREATE TABLE privacy_tree_secrets (
    federation_id uuid        PRIMARY KEY REFERENCES federations (id) ON DELETE CASCADE,
    secret        bytea       NOT NULL CHECK (length(secret) >= 32),
    created_at    timestamptz NOT NULL
);
