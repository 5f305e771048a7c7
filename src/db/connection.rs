//! Connection pool over either backend, migrations, and the write gate.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppResult;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever backend the URL chose.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, for production and several nodes.
    Postgresql(PgConnection),
    /// Embedded SQLite, the default.
    Sqlite(SqliteConnection),
}

/// Which database engine is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Chooses the backend from the URL scheme.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens connections of the configured backend. diesel's own `ConnectionManager` would let a
/// multi-connection try every backend in turn, so a PostgreSQL URL with the server down would
/// silently create an SQLite file named after the URL.
struct Manager {
    backend: Backend,
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Postgresql),
            Backend::Sqlite => {
                let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
                let mut conn = SqliteConnection::establish(path)?;
                // busy_timeout waits for another process (the CLI) instead of failing at once.
                // temp_store: savepoint sub-journals in memory, not written to temp files.
                // WAL is set once per file before the pool opens (`set_wal`): switching the
                // journal mode here raced the migration on a busy machine and logged
                // "ERROR r2d2: database is locked" at a newcomer's first start.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), diesel::ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgresql(c) => c.is_broken(),
            DbConnection::Sqlite(c) => c.is_broken(),
        }
    }
}

/// Puts an SQLite file in WAL mode (readers run beside the writer), alone, before any pooled
/// connection exists; the mode is stored in the file, so every later connection has it.
fn set_wal(url: &str) -> anyhow::Result<()> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let mut conn = SqliteConnection::establish(path)
        .with_context(|| format!("opening the SQLite database {path}"))?;
    conn.batch_execute("PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL;")
        .context("switching the SQLite database to WAL")?;
    Ok(())
}

/// The database: a pool plus, for SQLite, a gate that lets one write transaction run at a time
/// (SQLite has one writer anyway; queueing here avoids SQLITE_BUSY on read-then-write).
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    write_gate: Arc<Mutex<()>>,
}

impl Db {
    /// Opens a pool on `url` (PostgreSQL URL or SQLite path).
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::from_url(url);
        if backend == Backend::Sqlite {
            let path = std::path::Path::new(url.strip_prefix("sqlite://").unwrap_or(url));
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating database folder {}", parent.display()))?;
            }
        }
        if backend == Backend::Sqlite {
            set_wal(url)?;
        }
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(30))
            .build(Manager {
                backend,
                url: url.to_owned(),
            })
            .with_context(|| format!("connecting to the {backend:?} database"))?;
        Ok(Db {
            pool,
            backend,
            write_gate: Arc::new(Mutex::new(())),
        })
    }

    /// Applies pending migrations of the backend's migration tree.
    pub fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get().context("getting a connection to migrate")?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
            DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        }
        .map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
        for version in applied {
            tracing::info!(%version, "migration applied");
        }
        Ok(())
    }

    /// Runs read-only work on a pooled connection.
    pub fn read<T>(&self, work: impl FnOnce(&mut DbConnection) -> AppResult<T>) -> AppResult<T> {
        let mut conn = self.pool.get()?;
        work(&mut conn)
    }

    /// Runs `work` on a pooled connection while holding the write gate, leaving the transaction
    /// to `work`: the job queue's claim opens its own (`IMMEDIATE` on SQLite, so another
    /// process waits at BEGIN). Without the gate such a write made this process's other writers
    /// fail with "database is locked" (measured in the suite when the runner claimed while a
    /// test created its token).
    pub fn with_write_gate<T>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> AppResult<T>,
    ) -> AppResult<T> {
        let _one_writer = match self.backend {
            Backend::Sqlite => Some(self.write_gate.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let mut pooled = self.pool.get()?;
        work(&mut pooled)
    }

    /// Runs `work` in one transaction: all of it is stored, or none.
    pub fn write<T>(&self, work: impl FnOnce(&mut DbConnection) -> AppResult<T>) -> AppResult<T> {
        let _one_writer = match self.backend {
            Backend::Sqlite => Some(self.write_gate.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let mut pooled = self.pool.get()?;
        let conn: &mut DbConnection = &mut pooled;
        conn.transaction(work)
    }
}
