DROP TABLE resource_downloads;
