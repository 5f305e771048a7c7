DROP TABLE dataset_changes;
