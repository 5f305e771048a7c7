//! One suite, two backends: every test here starts the real portal and talks HTTP to it, on
//! SQLite and on PostgreSQL.

// A test's unwrap is its assertion: a failure there fails the test with the value shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod abuse;
mod abuse_http;
mod abuse_search;
mod accounts;
mod browser;
mod catalogue_common;
mod catalogue_lifecycle;
mod catalogue_pages;
mod catalogue_rules;
mod ckan_client;
mod cli;
mod concurrency;
mod datasets;
mod dcat;
mod dcat_receiver;
mod errors;
mod harvest;
mod harvest_dcat;
mod harvest_dcat_push;
mod harvest_hostile;
mod harvest_push;
mod harvest_resume;
mod harvest_support;
mod journal;
mod languages;
mod organizations;
mod pages;
mod pages_dataset;
mod pages_orgs;
mod pages_publish;
mod pages_resource;
mod pages_staff_datasets;
mod pages_users;
mod privacy;
mod privacy_pages;
mod relevance;
mod relevance_graded;
mod search;
mod search_suggestions;
mod sessions;
mod smtp_sink;
mod staff_client;
mod suggestions;
mod uploads;

// The catalogue's staff pages and reminder e-mail (issue 12).
mod catalogue_mail;
mod pages_catalogue;
mod pages_catalogue_office;
