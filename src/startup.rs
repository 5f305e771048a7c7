//! Building the application from settings: shared by `main` and the tests (which bind port 0).

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{web, App, HttpServer};
use anyhow::Context;

use crate::catalog::users::PasswordCost;
use std::sync::Arc;
use std::time::Duration;

use crate::catalog::harvesting::HarvestConfig;
use crate::catalog::indexing::follow;
use crate::catalog::indexing::lifecycle::{catch_up_search_index, open_search_index};
use crate::catalog::{integrity, themes, AppContext};
use crate::config::Settings;
use crate::db::Db;
use crate::http::ApiRateLimit;
use crate::http::HttpLimits;
use crate::http::LoginRateLimit;
use crate::storage::FileStore;

/// Opens the database (migrating it) and the file store; seeds the national themes.
pub fn open_context(settings: &Settings, site_url: &str) -> anyhow::Result<AppContext> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    let db = Db::connect(&settings.database_url(), settings.database.pool_size)?;
    db.migrate()?;
    let files = FileStore::new(
        settings.data_dir.join("files"),
        settings.storage.max_upload_bytes,
    )?;
    let catalog = AppContext {
        db,
        files,
        site_url: site_url.trim_end_matches('/').to_owned(),
        password_cost: PasswordCost {
            memory_kib: settings.auth.argon2_memory_kib,
            iterations: settings.auth.argon2_iterations,
        },
        search: None,
        journal: Default::default(),
        downloads: Default::default(),
        privacy: crate::catalog::privacy::PrivacyPolicy {
            require_review_always: settings.privacy.require_review_always,
            bounds: Default::default(),
            scans: Default::default(),
        },
        harvest: Arc::new(HarvestConfig::new(
            &settings.harvest,
            &settings.data_dir,
            &std::env::var("DATAPORTAL_ENV").unwrap_or_else(|_| "local".to_owned()),
        )?),
        catalogue: crate::catalog::catalogue::Runtime::new(settings.catalogue.clone()),
        mail: crate::mail::Mailer::from_settings(&settings.mail)?,
    };
    themes::ensure_national(&catalog).context("creating the national themes")?;
    Ok(catalog)
}

/// How often the server looks for writes made by other processes.
const FOLLOW_PERIOD: Duration = Duration::from_secs(2);

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
    catalog: AppContext,
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
        let mut catalog = open_context(settings, &site_url_for(settings, port))?;
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
        let login_limit =
            web::Data::new(LoginRateLimit::new(&settings.auth, &settings.rate_limit)?);
        let env_name = std::env::var("DATAPORTAL_ENV").unwrap_or_else(|_| "local".to_owned());
        let cookie_key = crate::http::session::cookie_key(&settings.auth, &env_name)?;
        let auth = settings.auth.clone();
        let data = web::Data::new(catalog.clone());
        let portal = web::Data::new(settings.portal.clone());
        crate::http::pages::set_province(&settings.portal.province, &settings.portal.province_en);
        let server_settings = &settings.server;
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(crate::http::session::middleware(
                    data.get_ref().clone(),
                    cookie_key.clone(),
                    &auth,
                    &data.site_url,
                ))
                .wrap(actix_web::middleware::Compress::default())
                .wrap(actix_web::middleware::from_fn(crate::http::log_request))
                .app_data(data.clone())
                .app_data(limits.clone())
                .app_data(portal.clone())
                .app_data(rate_limit.clone())
                .app_data(login_limit.clone())
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
    pub fn catalog(&self) -> &AppContext {
        &self.catalog
    }

    /// Stops the server from outside (and with it the journal follower): a test stops it
    /// before dropping its database.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (Ctrl-C).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Writes of other processes (the CLI while the server runs, other servers on one
        // PostgreSQL) reach this index within this period. A task of the server's runtime,
        // not a thread: it stops with the server, and no database call of it is left
        // running while the process exits (seen once: a crash in libpq at exit).
        let follower = tokio::spawn(follow::follow_periodically(
            self.catalog.clone(),
            FOLLOW_PERIOD,
        ));
        let counter = tokio::spawn(flush_downloads_periodically(self.catalog.clone()));
        let reminders = tokio::spawn(crate::catalog::catalogue::reminders::run_periodically(
            self.catalog.clone(),
            Duration::from_secs(self.catalog.catalogue.settings.reminder_tick_secs),
        ));
        // Harvest runs and their schedule, while the server runs (a job cut by the stop is
        // resumed at the next start, where it stopped).
        let background = self.catalog.harvest.settings.runner_enabled.then(|| {
            (
                tokio::spawn(crate::jobs::run_in_background(self.catalog.clone())),
                tokio::spawn(crate::jobs::scheduler::schedule_periodically(
                    self.catalog.clone(),
                )),
            )
        });
        let outcome = self.server.await;
        follower.abort();
        counter.abort();
        if let Some((runner, scheduler)) = background {
            runner.abort();
            scheduler.abort();
        }
        reminders.abort();
        let ctx = self.catalog.clone();
        // The downloads of the last seconds are written before the process ends.
        let _ = tokio::task::spawn_blocking(move || {
            let _ = crate::catalog::catalogue::demand::flush(&ctx);
            crate::catalog::downloads::flush(&ctx)
        })
        .await;
        outcome
    }
}

/// Writes counted downloads every [`FOLLOW_PERIOD`].
async fn flush_downloads_periodically(ctx: AppContext) {
    loop {
        tokio::time::sleep(FOLLOW_PERIOD).await;
        let step = ctx.clone();
        let flushed = tokio::task::spawn_blocking(move || {
            // API reads of datasets (the catalogue's demand) are written on the same beat.
            if let Err(error) = crate::catalog::catalogue::demand::flush(&step) {
                tracing::warn!(error = %error, "writing API read counts");
            }
            crate::catalog::downloads::flush(&step)
        });
        match flushed.await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(error = %error, "writing download counts"),
            Err(error) => tracing::warn!(error = %error, "the download counter stopped"),
        }
    }
}
