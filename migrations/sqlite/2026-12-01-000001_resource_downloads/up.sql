-- Downloads of uploaded files, per resource: the home page's "most downloaded" list (a full
-- usage-statistics table comes with its own issue). Counters only, no visitor data.
CREATE TABLE resource_downloads (
    resource_id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL,
    downloads BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX resource_downloads_dataset ON resource_downloads (dataset_id);
