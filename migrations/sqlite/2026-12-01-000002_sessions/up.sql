-- Sessions of the web pages, kept on the server so that logging out, "log out everywhere" and
-- idle expiry end them for good. The cookie holds a random key; only its SHA-256 is stored, so
-- a copy of this table lets nobody in. `user_id` is empty for a visitor who has opened the
-- login form (the session then only holds the form's CSRF token). `expires_at` is in Unix
-- seconds; expired rows are swept when new sessions are made.
CREATE TABLE sessions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users (id),
    state TEXT NOT NULL,
    created TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
