-- The catalogue: accounts, organisations, themes, datasets, resources and their history.
-- Timestamps are ISO-8601 UTC text of fixed width (sortable as text on both backends);
-- JSON documents are text. Keep this file and ../sqlite/ in step.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    fullname TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    sysadmin BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    last_access TEXT,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_en TEXT,
    description TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    capacity TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE themes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_en TEXT,
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);

CREATE TABLE datasets (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    owner_org TEXT NOT NULL REFERENCES organizations(id),
    private BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'active',
    license_id TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    author_email TEXT NOT NULL DEFAULT '',
    maintainer TEXT NOT NULL DEFAULT '',
    maintainer_email TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL DEFAULT '',
    spatial_code TEXT NOT NULL DEFAULT '',
    spatial_name TEXT NOT NULL DEFAULT '',
    temporal_start TEXT NOT NULL DEFAULT '',
    temporal_end TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'vi',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    notes_en TEXT NOT NULL DEFAULT '',
    extras TEXT NOT NULL DEFAULT '[]',
    creator_user_id TEXT,
    revision BIGINT NOT NULL DEFAULT 1,
    metadata_created TEXT NOT NULL,
    metadata_modified TEXT NOT NULL
);
CREATE INDEX datasets_owner_org ON datasets(owner_org);
CREATE INDEX datasets_modified ON datasets(metadata_modified);

CREATE TABLE dataset_tags (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX dataset_tags_tag ON dataset_tags(tag);

CREATE TABLE dataset_themes (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    theme_id TEXT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (dataset_id, theme_id)
);
CREATE INDEX dataset_themes_theme ON dataset_themes(theme_id);

CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    mimetype TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    url_type TEXT NOT NULL DEFAULT '',
    size BIGINT,
    hash TEXT NOT NULL DEFAULT '',
    storage_key TEXT,
    position INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL,
    last_modified TEXT,
    metadata_modified TEXT NOT NULL
);
CREATE INDEX resources_dataset ON resources(dataset_id, position);

-- Every change to a dataset, resource or organisation: who, when, which fields, and the whole
-- object after the change (so an older state can be shown later).
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    user_id TEXT,
    created TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX activities_object ON activities(object_id, created);
