-- Privacy reviews (issue 12, Decree 47/2020 art. 20): an editor's confirmation of the
-- re-identification risk checklist before a dataset whose tabular files hold personal data is
-- published. `files` is the JSON list of the files reviewed, each with its SHA-256 and what
-- the scan found in it (masked samples only); a publication goes through when every current
-- file's hash is covered by a review. `answers` is the JSON object of the checklist answers.
-- Kept for the data office: a review is never changed or deleted.
CREATE TABLE privacy_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets (id),
    reviewer_id TEXT REFERENCES users (id),
    reviewer_name TEXT NOT NULL,
    created TEXT NOT NULL,
    files TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX privacy_reviews_dataset ON privacy_reviews (dataset_id, created);
