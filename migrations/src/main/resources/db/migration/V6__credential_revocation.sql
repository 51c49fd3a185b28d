-- Revocation of every kind of credential. Rows are never deleted: a revoked client keeps its rounds and history, a
-- revoked token stays listed with when it was revoked; the audit log says who revoked it. Enrollment and admin tokens
-- are stored only as hashes, so they get ids the admin API can name. Adding a column with a volatile default rewrites
-- these (small) tables once.

ALTER TABLE clients ADD COLUMN revoked_at timestamptz;

ALTER TABLE enrollment_tokens ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE enrollment_tokens ADD CONSTRAINT enrollment_tokens_id UNIQUE (id);
ALTER TABLE enrollment_tokens ADD COLUMN revoked_at timestamptz;
-- A token is consumed or revoked, never both: revoking a used token means revoking the client it admitted.
ALTER TABLE enrollment_tokens ADD CONSTRAINT enrollment_tokens_used_or_revoked
    CHECK (used_at IS NULL OR revoked_at IS NULL);
CREATE INDEX enrollment_tokens_federation ON enrollment_tokens (federation_id, created_at);

-- kind: 'configured' (hansa.admin-token), 'bootstrap' (generated at a first start without one), 'issued' (admin API).
ALTER TABLE admin_tokens ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE admin_tokens ADD CONSTRAINT admin_tokens_id UNIQUE (id);
ALTER TABLE admin_tokens ADD COLUMN kind text;
UPDATE admin_tokens SET kind = CASE WHEN name = 'bootstrap' THEN 'bootstrap' ELSE 'configured' END;
ALTER TABLE admin_tokens ALTER COLUMN kind SET NOT NULL;
ALTER TABLE admin_tokens ADD CONSTRAINT admin_tokens_kind CHECK (kind IN ('configured', 'bootstrap', 'issued'));
