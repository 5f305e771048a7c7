-- The province's open-data catalogue ("Danh mục dữ liệu mở", issue 12): entries proposed by
-- departments, every status change with who, when and why, comments, links to the datasets
-- that fulfil an entry, numbered versions issued by decision (the signed PDF kept in the file
-- store, byte-for-byte) with a frozen copy of each entry as it was issued, the site roles of
-- users (the data office is `reviewer`), in-app reminders, and API reads of datasets (the
-- demand that ranks entries). Lists (themes, formats, access methods) are JSON text; dates are
-- ISO-8601 text, as everywhere else.
CREATE TABLE catalogue_entries (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_org TEXT NOT NULL REFERENCES organizations (id),
    themes TEXT NOT NULL,
    formats TEXT NOT NULL,
    access_methods TEXT NOT NULL,
    frequency TEXT NOT NULL,
    planned_publication TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    merged_into TEXT,
    first_published TEXT,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    creator_user_id TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX catalogue_entries_owner ON catalogue_entries (owner_org);
CREATE INDEX catalogue_entries_status ON catalogue_entries (status);

CREATE TABLE catalogue_transitions (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL REFERENCES catalogue_entries (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    user_id TEXT,
    reason TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX catalogue_transitions_entry ON catalogue_transitions (entry_id);

CREATE TABLE catalogue_comments (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL REFERENCES catalogue_entries (id),
    user_id TEXT,
    comment TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX catalogue_comments_entry ON catalogue_comments (entry_id);

CREATE TABLE catalogue_entry_datasets (
    entry_id TEXT NOT NULL REFERENCES catalogue_entries (id),
    dataset_id TEXT NOT NULL REFERENCES datasets (id),
    linked_by TEXT,
    created TEXT NOT NULL,
    PRIMARY KEY (entry_id, dataset_id)
);
CREATE INDEX catalogue_entry_datasets_dataset ON catalogue_entry_datasets (dataset_id);

CREATE TABLE catalogue_versions (
    number INTEGER PRIMARY KEY NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    signer TEXT NOT NULL,
    file_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_mimetype TEXT NOT NULL,
    issued_by TEXT,
    created TEXT NOT NULL
);

-- An entry as version `version` froze it: a later version or edit never changes these rows.
CREATE TABLE catalogue_version_entries (
    version INTEGER NOT NULL REFERENCES catalogue_versions (number),
    entry_id TEXT NOT NULL REFERENCES catalogue_entries (id),
    owner_org TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (version, entry_id)
);

CREATE TABLE user_site_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    granted_by TEXT,
    created TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- One reminder per (subject, due date, kind): `subject` is an entry id, or `catalogue` for the
-- six-monthly review. `audience` is the department's organisation id or `data_office`.
-- `emailed_at` stays empty until the mail sender has sent it.
CREATE TABLE catalogue_reminders (
    id TEXT PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    due_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    entry_title TEXT NOT NULL,
    notified_at TEXT NOT NULL,
    emailed_at TEXT,
    UNIQUE (subject, due_date, kind)
);
CREATE INDEX catalogue_reminders_audience ON catalogue_reminders (audience);

CREATE TABLE dataset_api_reads (
    dataset_id TEXT PRIMARY KEY NOT NULL,
    reads BIGINT NOT NULL DEFAULT 0
);
