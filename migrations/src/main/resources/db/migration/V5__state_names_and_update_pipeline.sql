-- One name per idea: a federation's lifecycle column is `state`, as for rounds and participants.
ALTER TABLE federations RENAME COLUMN status TO state;
ALTER TABLE federations RENAME CONSTRAINT federations_status_check TO federations_state_check;

-- How each round's updates travel and are aggregated (the federation's `update` and `robustness` sections and its
-- sampler, defaults filled in), recorded beside `strategy_params` so a round's result stays explained.
ALTER TABLE rounds ADD COLUMN pipeline jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE rounds ALTER COLUMN pipeline DROP DEFAULT;

-- The norm an update was scaled down to when `robustness.onNormExceeded` is `clip` (null: not clipped);
-- `update_norm` keeps the norm as received.
ALTER TABLE round_participants ADD COLUMN clipped_to double precision;
