-- The privacy ledger of differentially private federations (docs/privacy.md): one row per closed round, written in
-- the transaction that stores the round's model version, so the privacy claim can be audited from stored data alone.
-- The mechanism event is what the accountant composes (the sampled Gaussian mechanism: Poisson rate q, noise
-- multiplier sigma, steps); the clip and the sampler say what was enforced. epsilon_rdp is the cumulative epsilon at
-- the federation's delta from the RDP accountant after this round; epsilon_pld is left for a privacy-loss-distribution
-- accountant to fill (null until one exists). A restarted server rebuilds its accountant from these rows.
CREATE TABLE privacy_ledger (
    federation_id    uuid             NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    round_number     integer          NOT NULL CHECK (round_number >= 1),
    round_id         uuid             NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    mechanism        text             NOT NULL CHECK (mechanism IN ('sampled_gaussian')),
    sampling_rate    double precision NOT NULL CHECK (sampling_rate > 0 AND sampling_rate <= 1),
    noise_multiplier double precision NOT NULL CHECK (noise_multiplier >= 0),
    steps            integer          NOT NULL CHECK (steps >= 1),
    clip_norm        double precision NOT NULL CHECK (clip_norm > 0),
    sampler          text             NOT NULL,
    delta            double precision NOT NULL CHECK (delta > 0 AND delta < 1),
    epsilon_rdp      double precision NOT NULL CHECK (epsilon_rdp >= 0),
    epsilon_pld      double precision CHECK (epsilon_pld >= 0),
    recorded_at      timestamptz      NOT NULL,
    PRIMARY KEY (federation_id, round_number),
    UNIQUE (round_id)
);
