//! Full-text search over the catalogue with tantivy (DESIGN.md, search section). The engine
//! knows nothing of HTTP; the database stays the source of truth and the index is derived.

pub mod analyzer;
pub mod cache;
pub mod ckan_syntax;
pub mod did_you_mean;
pub mod directory;
pub mod document;
pub mod engine;
pub mod facets;
pub mod per_segment;
pub mod query;
pub mod schema;
pub mod sort;
pub mod synonyms;
pub mod words;
