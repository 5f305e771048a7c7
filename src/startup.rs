//! Building the application from settings: shared by `main` and the tests (which bind port 0).

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use anyhow::Context;

use crate::catalog::users::PasswordCost;
use std::sync::Arc;
use std::time::Duration;

use crate::catalog::{indexing, integrity, themes, Catalog};
use crate::config::{ServerSettings, Settings};
use crate::db::Db;
use crate::http::ApiRateLimit;
use crate::search::engine::SearchIndex;
use crate::storage::FileStore;

/// Request-size and request-time limits the HTTP layer enforces.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// Largest JSON or form body.
    pub body_limit_bytes: usize,
    /// Longest wait for the next bytes of any body.
    pub body_idle: Duration,
    /// Longest time for a whole JSON or form body; `None`: no limit.
    pub body_deadline: Option<Duration>,
    /// Time before an upload's average rate is checked.
    pub upload_grace: Duration,
    /// Slowest average rate of an upload after the grace; 0: no limit.
    pub upload_min_bytes_per_sec: u64,
}

impl HttpLimits {
    /// The limits of the `[server]` settings.
    pub fn from_settings(server: &ServerSettings) -> anyhow::Result<HttpLimits> {
        anyhow::ensure!(
            server.body_idle_timeout_secs > 0,
            "server.body_idle_timeout_secs must be above 0: a body may not stall forever"
        );
        Ok(HttpLimits {
            body_limit_bytes: server.body_limit_bytes,
            body_idle: Duration::from_secs(server.body_idle_timeout_secs),
            body_deadline: (server.body_timeout_secs > 0)
                .then(|| Duration::from_secs(server.body_timeout_secs)),
            upload_grace: Duration::from_secs(server.upload_grace_secs),
            upload_min_bytes_per_sec: server.upload_min_bytes_per_sec,
        })
    }
}

/// Opens the database (migrating it) and the file store; seeds the national themes.
pub fn open_catalog(settings: &Settings, site_url: &str) -> anyhow::Result<Catalog> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    let db = Db::connect(&settings.database_url(), settings.database.pool_size)?;
    db.migrate()?;
    let files = FileStore::new(
        settings.data_dir.join("files"),
        settings.storage.max_upload_bytes,
    )?;
    let catalog = Catalog {
        db,
        files,
        site_url: site_url.trim_end_matches('/').to_owned(),
        password_cost: PasswordCost {
            memory_kib: settings.auth.argon2_memory_kib,
            iterations: settings.auth.argon2_iterations,
        },
        search: None,
    };
    themes::ensure_national(&catalog).context("creating the national themes")?;
    Ok(catalog)
}

/// The format of the dicts stored in the index; an index committed under another stamp is
/// rebuilt. Change it whenever the dataset dict changes shape.
const INDEX_STAMP: &str = "dataset-dict-v1";

/// Opens the search index in the data folder, for the server.
pub fn open_search_index(settings: &Settings) -> anyhow::Result<SearchIndex> {
    let index = open_or_recreate(settings, |dir| SearchIndex::open(dir, INDEX_STAMP))?;
    Ok(index.with_result_cache_limits(settings.search.cache_entries, settings.search.cache_bytes))
}

/// Writer memory of `dataportal reindex`, which runs alone (the server's writer keeps less).
const REBUILD_WRITER_BYTES: usize = 256_000_000;

/// Opens the search index in the data folder for `dataportal reindex`.
pub fn open_search_index_for_rebuild(settings: &Settings) -> anyhow::Result<SearchIndex> {
    open_or_recreate(settings, |dir| {
        SearchIndex::open_with_writer_memory(dir, INDEX_STAMP, REBUILD_WRITER_BYTES)
    })
}

/// An index that cannot be opened (damaged, or made by another schema version) is derived
/// data: it is started anew, to be rebuilt.
fn open_or_recreate(
    settings: &Settings,
    open: impl Fn(&std::path::Path) -> anyhow::Result<SearchIndex>,
) -> anyhow::Result<SearchIndex> {
    let dir = settings.data_dir.join("search-index");
    open(&dir).or_else(|error| {
        tracing::warn!(
            error = format!("{error:#}"),
            "search index unreadable, recreating it"
        );
        std::fs::remove_dir_all(&dir).ok();
        open(&dir)
    })
}

/// Catalogues up to this size are re-indexed before the server answers (a few seconds at
/// most: 20,000 datasets index in about 5 s here), so no search is ever answered from a
/// partial index; larger ones in the background.
const SYNCHRONOUS_REBUILD_LIMIT: i64 = 20_000;

/// Brings the search index up to the database before serving: the datasets changed since
/// its last commit (a crash, or writes by the CLI) are indexed at once; an index that must be
/// rebuilt from scratch (missing, damaged, another format) is rebuilt in the background while
/// the server answers.
pub fn catch_up_search_index(catalog: &Catalog) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    match indexing::catch_up(catalog).context("bringing the search index up to date")? {
        indexing::CatchUp::InStep => {}
        indexing::CatchUp::CaughtUp(count) => tracing::info!(
            count,
            ms = started.elapsed().as_millis() as u64,
            "search index caught up with the database"
        ),
        indexing::CatchUp::NeedsRebuild
            if indexing::dataset_count(catalog)? <= SYNCHRONOUS_REBUILD_LIMIT =>
        {
            let count = indexing::rebuild(catalog, &|_, _| {})?;
            tracing::info!(
                count,
                ms = started.elapsed().as_millis() as u64,
                "search index rebuilt"
            );
        }
        indexing::CatchUp::NeedsRebuild => {
            let catalog = catalog.clone();
            std::thread::spawn(move || {
                tracing::info!("search index out of step with the database: rebuilding");
                match indexing::rebuild(&catalog, &|_, _| {}) {
                    Ok(count) => tracing::info!(count, "search index rebuilt"),
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "search index rebuild failed")
                    }
                }
            });
        }
    }
    Ok(())
}

/// The public base URL: the configured one, or the bound address.
pub fn site_url_for(settings: &Settings, port: u16) -> String {
    if settings.server.site_url.trim().is_empty() {
        let host = settings
            .server
            .bind
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or("127.0.0.1");
        let host = if host == "0.0.0.0" || host.is_empty() {
            "127.0.0.1"
        } else {
            host
        };
        format!("http://{host}:{port}")
    } else {
        settings.server.site_url.trim().to_owned()
    }
}

/// A bound, ready-to-run portal.
pub struct Application {
    port: u16,
    server: Server,
    catalog: Catalog,
}

impl Application {
    /// Binds the listener, opens the catalogue and builds the HTTP server.
    pub fn build(settings: &Settings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.server.bind)
            .with_context(|| format!("binding {}", settings.server.bind))?;
        let port = listener
            .local_addr()
            .context("reading the bound port")?
            .port();
        let mut catalog = open_catalog(settings, &site_url_for(settings, port))?;
        integrity::rekey_unsafe_resource_ids(&catalog).context("checking resource ids")?;
        integrity::sweep_files(
            &catalog,
            std::time::Duration::from_secs(settings.storage.orphan_grace_seconds),
        )
        .context("sweeping the file store")?;
        let index = open_search_index(settings)?;
        catalog.search = Some(Arc::new(index));
        catch_up_search_index(&catalog)?;
        let limits = web::Data::new(HttpLimits::from_settings(&settings.server)?);
        let rate_limit = web::Data::new(ApiRateLimit::new(&settings.rate_limit)?);
        let data = web::Data::new(catalog.clone());
        let server_settings = &settings.server;
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::Compress::default())
                .app_data(data.clone())
                .app_data(limits.clone())
                .app_data(rate_limit.clone())
                .configure(crate::http::routes)
        })
        .client_request_timeout(Duration::from_millis(
            server_settings.client_request_timeout_ms,
        ))
        .client_disconnect_timeout(Duration::from_millis(
            server_settings.client_disconnect_timeout_ms,
        ))
        .keep_alive(Duration::from_secs(server_settings.keep_alive_secs))
        // A compressed answer goes out in several writes; with Nagle on, the second waits for
        // the client's delayed ACK (measured: a cached search took 20 ms with
        // `Accept-Encoding: gzip`, 0.12 ms without).
        .tcp_nodelay(true)
        .listen(listener)
        .context("starting the HTTP server")?;
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            catalog,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The catalogue the server uses.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Serves until the server is stopped (Ctrl-C).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
