//! dataportal: the open-data portal server of a Vietnamese province, speaking CKAN's Action API.

pub mod catalog;
pub mod config;
pub mod db;
pub mod demo;
pub mod enums;
pub mod error;
pub mod harvest;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod preview;
pub mod privacy;
pub mod search;
pub mod startup;
pub mod storage;
pub mod text;
