//! The relational store: one diesel code path over SQLite (default) and PostgreSQL.

mod connection;
pub mod models;
pub mod schema;

pub use connection::{Backend, Db, DbConnection};

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A new object id: a time-ordered UUIDv7, so new rows land at the end of every index rather
/// than on random pages (random v4 ids made a bulk import dirty and rewrite pages all over
/// each index; CKAN clients only need ids to be unique strings).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// True when `id` has the form of the ids the portal makes: a UUID in lowercase hyphenated
/// form. Ids from clients (CKAN clients may name a new resource's id) are only taken in this
/// form, because ids become parts of storage paths: `../0c/<another id>` once let an editor
/// overwrite another department's file.
pub fn is_server_id(id: &str) -> bool {
    uuid::Uuid::try_parse(id).is_ok_and(|u| u.hyphenated().to_string() == id)
}

/// Values bound in one multi-row statement at most: SQLite takes 32,766, PostgreSQL 65,535.
const MAX_BOUND_VALUES: usize = 30_000;

/// Rows per multi-row `INSERT` into a table of `columns` columns (a bulk write sends a few such
/// statements per table instead of a round trip per row).
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_BOUND_VALUES / columns.max(1)).max(1)
}

/// Inserts `rows` (a slice of insertable rows) into `table` with one multi-row statement.
/// diesel's multi-backend connection has no batch insert, so each backend's own connection
/// runs it. Size the slices with [`rows_per_statement`].
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl as _;
        match $conn {
            $crate::db::DbConnection::Postgresql(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::db::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    }};
}
pub(crate) use insert_rows;

/// Current time as fixed-width ISO-8601 UTC text (sortable as text on both backends).
pub fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}
