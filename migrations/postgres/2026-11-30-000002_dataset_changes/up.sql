-- The change log: one row per write that changed a dataset's dict, numbered in order. The
-- search index records the last number it holds, so after a crash, or after the CLI wrote
-- without an index open, the server re-indexes exactly what changed since (timestamps could
-- not tell: an imported `metadata_modified` in the year 9999 pinned the old check). Rows older
-- than what the index holds are pruned at start. Keep in step with ../../sqlite/.
CREATE TABLE dataset_changes (
    seq BIGSERIAL PRIMARY KEY,
    dataset_id TEXT NOT NULL
);
