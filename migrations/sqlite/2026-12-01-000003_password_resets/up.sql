-- One-time password reset links made by a sysadmin (issue 10). The link carries a random
-- token; only its SHA-256 is stored, so a copy of this table resets nobody's password.
-- `expires_at` is in Unix seconds; `used_at` is set when the link is spent (kept for the
-- record rather than deleted).
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_by TEXT,
    created TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
