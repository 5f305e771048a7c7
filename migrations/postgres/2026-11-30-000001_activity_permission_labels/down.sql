ALTER TABLE activities DROP COLUMN permission_labels;
