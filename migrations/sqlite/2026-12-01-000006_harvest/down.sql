DROP TABLE harvest_outcomes;
DROP TABLE harvest_objects;
DROP TABLE harvest_jobs;
DROP TABLE harvest_targets;
DROP TABLE harvest_sources;
DROP TABLE jobs;
