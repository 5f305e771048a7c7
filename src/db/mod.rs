//! The relational store: one diesel code path over SQLite (default) and PostgreSQL.

mod connection;
pub mod models;
pub mod schema;

pub use connection::{Backend, Db, DbConnection};

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Current time as fixed-width ISO-8601 UTC text (sortable as text on both backends).
pub fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}
