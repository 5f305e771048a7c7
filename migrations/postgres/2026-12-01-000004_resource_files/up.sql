-- Every file ever uploaded to a resource (issue 10): replacing a resource's file keeps the old
-- one stored and downloadable from the dataset's history (Decree 47/2020 art. 18: data kept
-- as published). `storage_key` is the file's place in the file store; the row is written in
-- the same transaction as the resource change that placed it.
CREATE TABLE resource_files (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL REFERENCES resources (id),
    storage_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    mimetype TEXT NOT NULL,
    created TEXT NOT NULL,
    user_id TEXT
);
CREATE INDEX resource_files_resource ON resource_files (resource_id);
-- The files stored before this table: one row each, under the resource's own id (unique, as
-- a resource had one file until now).
INSERT INTO resource_files (id, resource_id, storage_key, file_name, size, sha256, mimetype, created, user_id)
SELECT id, id, storage_key, url, COALESCE(size, 0), hash, mimetype, COALESCE(last_modified, created), NULL
FROM resources WHERE storage_key IS NOT NULL;
