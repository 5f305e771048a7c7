-- Persisted background jobs (crates.io's model): a typed kind and a JSON payload, claimed by
-- one runner at a time (`locked_by`, `locked_at`, kept fresh by a heartbeat while it runs, so a
-- lock left by a dead process goes stale and the job is resumed), retried after `run_after`
-- with exponential backoff. Times are fixed-width ISO-8601 UTC text.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_after TEXT NOT NULL,
    locked_by TEXT,
    locked_at TEXT,
    last_error TEXT,
    created TEXT NOT NULL,
    finished TEXT
);
CREATE INDEX jobs_ready ON jobs (status, run_after);

-- Harvest sources (pull) and targets (push), modelled on ckanext-harvest. A target's API token
-- is stored sealed (AEAD, key from `[harvest] secret_key`), never in clear.
CREATE TABLE harvest_sources (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    source_type TEXT NOT NULL,
    owner_org TEXT NOT NULL REFERENCES organizations (id),
    frequency TEXT NOT NULL,
    config TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE TABLE harvest_targets (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    target_type TEXT NOT NULL,
    token_sealed TEXT NOT NULL,
    remote_owner_org TEXT NOT NULL,
    format TEXT NOT NULL,
    frequency TEXT NOT NULL,
    config TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

-- One run of a source or a target. Statuses as ckanext-harvest: New, Running, Finished, Failed.
-- `unchanged` is counted here (a run over 100,000 unchanged datasets writes no row for each);
-- the other figures are counted from the outcomes below.
CREATE TABLE harvest_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    source_id TEXT REFERENCES harvest_sources (id) ON DELETE CASCADE,
    target_id TEXT REFERENCES harvest_targets (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    unchanged BIGINT NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX harvest_jobs_source ON harvest_jobs (source_id, created);
CREATE INDEX harvest_jobs_target ON harvest_jobs (target_id, created);

-- What each source or target last did with each dataset (ckanext-harvest's current
-- harvest_object): the guid at the source (pull) or our dataset id (push), our dataset, the
-- remote id, and the `metadata_modified` last synced. A run compares against it, so a run cut
-- by a crash resumes where it stopped and a second run sends nothing.
CREATE TABLE harvest_objects (
    owner_id TEXT NOT NULL,
    guid TEXT NOT NULL,
    dataset_id TEXT,
    remote_id TEXT,
    modified TEXT,
    state TEXT NOT NULL,
    PRIMARY KEY (owner_id, guid)
);
CREATE INDEX harvest_objects_dataset ON harvest_objects (dataset_id);

-- The per-dataset outcome of a run (added, updated, deleted, errored) with its error, written
-- as the run goes.
CREATE TABLE harvest_outcomes (
    job_id TEXT NOT NULL REFERENCES harvest_jobs (id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    name TEXT NOT NULL,
    action TEXT NOT NULL,
    error TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (job_id, guid)
);
