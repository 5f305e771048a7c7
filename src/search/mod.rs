//! Full-text search over the catalogue with tantivy (DESIGN.md, search section). The engine
//! knows nothing of HTTP; the database stays the source of truth and the index is derived.
//!
//! This first part holds the Vietnamese analyzers; the index, its writer and the query
//! builder behind `package_search` follow.

pub mod analyzer;
pub mod directory;
pub mod document;
pub mod engine;
pub mod schema;
