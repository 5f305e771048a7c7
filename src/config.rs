//! Layered settings: built-in defaults < `config/{DATAPORTAL_ENV}.toml` < environment
//! `DATAPORTAL__SECTION__KEY` < command-line flags (applied by the caller).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The defaults, compiled in so the binary runs from any directory.
const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// Every setting of the portal.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Folder for the SQLite database, uploaded files and derived data.
    pub data_dir: PathBuf,
    /// HTTP server settings.
    pub server: ServerSettings,
    /// Database settings.
    pub database: DatabaseSettings,
    /// Uploaded-file settings.
    pub storage: StorageSettings,
    /// Account settings.
    pub auth: AuthSettings,
    /// Search index settings.
    pub search: SearchSettings,
    /// Limits on anonymous API calls.
    pub rate_limit: RateLimitSettings,
    /// Who runs the portal, as the about page shows it.
    pub portal: PortalSettings,
    /// The privacy gate before publication (issue 12).
    #[serde(default)]
    pub privacy: PrivacySettings,
    /// Harvest sources and targets, and the background jobs that run them.
    pub harvest: HarvestSettings,
    /// The open-data catalogue's periods, reminders and legal references.
    pub catalogue: CatalogueSettings,
    /// Outgoing e-mail (off when no relay is set).
    #[serde(default)]
    pub mail: MailSettings,
}

/// The privacy gate before publication (Decree 47/2020 art. 20).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PrivacySettings {
    /// Every publication needs a confirmed checklist, even of files with no findings.
    #[serde(default)]
    pub require_review_always: bool,
}

/// Harvest runs and the background jobs that carry them.
#[derive(Clone, Deserialize)]
pub struct HarvestSettings {
    /// The key that seals push targets' API tokens (32 bytes or more of random text); empty:
    /// a random key kept in `data_dir/harvest.key` (not in production).
    pub secret_key: String,
    /// Longest wait to connect to a remote portal, in seconds.
    pub connect_timeout_secs: u64,
    /// Longest time for one exchange with a remote portal, in seconds.
    pub request_timeout_secs: u64,
    /// Largest reply body read from a remote portal, in bytes.
    pub max_body_bytes: u64,
    /// Most pages a pull follows.
    pub max_pages: u32,
    /// Records per page of a pull (a source's `config` may say `{"rows": n}`).
    pub page_rows: u64,
    /// Tries of one dataset's send or withdrawal within a run, on transient failures.
    pub send_attempts: u32,
    /// First wait before trying a dataset again, in milliseconds; doubled each time.
    pub retry_base_ms: u64,
    /// Tries of a whole run (a job) before it is given up.
    pub job_max_attempts: i32,
    /// First wait before a failed run is tried again, in seconds; doubled each time.
    pub job_backoff_secs: u64,
    /// Run background jobs in the server (off: only `dataportal harvest run` runs them).
    pub runner_enabled: bool,
    /// How often an idle runner looks for work, in milliseconds.
    pub runner_poll_ms: u64,
    /// How often a running job tells it is alive, in milliseconds.
    pub heartbeat_ms: u64,
    /// Age of a running job's last heartbeat after which its runner is taken as dead and the
    /// job resumed by another, in seconds.
    pub stale_lock_secs: u64,
    /// How often the scheduler looks for sources and targets due, in seconds.
    pub scheduler_period_secs: u64,
}

/// Written by hand so the secret key never reaches a log.
impl std::fmt::Debug for HarvestSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HarvestSettings")
            .field("secret_key", &"<hidden>")
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_pages", &self.max_pages)
            .field("runner_enabled", &self.runner_enabled)
            .finish_non_exhaustive()
    }
}

/// The open-data catalogue (issue 12): the periods the law sets and where it sets them, kept
/// as configuration because the decrees change (Decree 194/2025 now carries the rules of
/// Decree 47/2020).
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueSettings {
    /// Months between reviews of the catalogue by the data office.
    pub review_period_months: u32,
    /// Months within which published data must be updated when its frequency sets no period.
    pub update_period_months: u32,
    /// Days before a due date when the department is reminded.
    pub remind_before_days: u32,
    /// Seconds between the server's reminder runs (0: none; `catalogue_reminders_run` still
    /// works).
    pub reminder_tick_secs: u64,
    /// Lowest score of a likely duplicate (0..1).
    pub duplicate_threshold: f64,
    /// Where the review period is set, as reminders and figures cite it.
    pub legal_review: String,
    /// Where the update period is set.
    pub legal_update: String,
}

/// Outgoing e-mail: the SMTP relay and the sender. An empty `smtp_url` turns mail off.
#[derive(Clone, Default, Deserialize)]
pub struct MailSettings {
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required` or `smtps://host:465`;
    /// empty: no e-mail.
    #[serde(default)]
    pub smtp_url: String,
    /// The sender, `Name <address>` or an address.
    #[serde(default)]
    pub from: String,
}

/// Written by hand so a password in the relay URL never reaches a log.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let relay = if self.smtp_url.trim().is_empty() {
            "<off>"
        } else {
            "<set>"
        };
        f.debug_struct("MailSettings")
            .field("smtp_url", &relay)
            .field("from", &self.from)
            .finish()
    }
}

/// The body running the portal and its contact point (Decree 42/2022 art. 7(2): structure and
/// contacts, also in English). Empty fields are not shown.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PortalSettings {
    /// The province's name in Vietnamese ("Tây Ninh"), shown in the pages' texts.
    pub province: String,
    /// The same in English ("Tay Ninh").
    pub province_en: String,
    /// The data office running the portal, in Vietnamese.
    pub operator: String,
    /// The same in English.
    pub operator_en: String,
    /// Its postal address.
    pub address: String,
    /// The same in English.
    pub address_en: String,
    /// Its e-mail address for questions and data requests.
    pub email: String,
    /// Its telephone number.
    pub phone: String,
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Listen address, `host:port`; port 0 picks a free port.
    pub bind: String,
    /// Public base URL; empty means derived from the bound address.
    pub site_url: String,
    /// Largest JSON or form body, in bytes.
    pub body_limit_bytes: usize,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Longest wait for a request's head (request line and headers), in milliseconds.
    pub client_request_timeout_ms: u64,
    /// How long a closing connection lingers after its reply so the client reads it, in ms.
    pub client_disconnect_timeout_ms: u64,
    /// How long an idle keep-alive connection stays open, in seconds.
    pub keep_alive_secs: u64,
    /// Longest wait for the next bytes of any request body, in seconds.
    pub body_idle_timeout_secs: u64,
    /// Longest time for a whole JSON or form body, in seconds.
    pub body_timeout_secs: u64,
    /// Seconds an upload may take before its average rate is checked.
    pub upload_grace_secs: u64,
    /// Slowest average rate of an upload after the grace period, in bytes per second.
    pub upload_min_bytes_per_sec: u64,
}

/// Database settings.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// Connection URL; empty means the SQLite file inside `data_dir`.
    pub url: String,
    /// Pool size.
    pub pool_size: u32,
}

/// Uploaded-file settings.
#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: u64,
    /// Age in seconds before an unreferenced or temporary file is swept at start.
    pub orphan_grace_seconds: u64,
}

/// Passwords, web sessions and logging in.
#[derive(Clone, Deserialize)]
pub struct AuthSettings {
    /// Argon2id memory cost in KiB.
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    pub argon2_iterations: u32,
    /// The key of the session cookie (64 bytes or more); empty: random per start (not in
    /// production).
    pub session_key: String,
    /// Minutes without a request after which a web session ends.
    pub session_idle_minutes: u64,
    /// Login attempts per account in a burst.
    pub login_attempts_per_account: u32,
    /// Login attempts per client address in a burst.
    pub login_attempts_per_address: u32,
    /// Minutes until the full allowance of attempts is back.
    pub login_lockout_minutes: u64,
}

/// Written by hand so the session key never reaches a log.
impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("argon2_memory_kib", &self.argon2_memory_kib)
            .field("argon2_iterations", &self.argon2_iterations)
            .field("session_key", &"<hidden>")
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field(
                "login_attempts_per_account",
                &self.login_attempts_per_account,
            )
            .field(
                "login_attempts_per_address",
                &self.login_attempts_per_address,
            )
            .field("login_lockout_minutes", &self.login_lockout_minutes)
            .finish()
    }
}

/// Search index settings.
#[derive(Debug, Clone, Deserialize)]
pub struct SearchSettings {
    /// Result pages kept for repeated searches (0: none).
    pub cache_entries: usize,
    /// Bytes those pages may take in all (0: none).
    pub cache_bytes: usize,
    /// Synonym groups of searches, read at start (the shipped list when missing).
    pub synonyms_file: std::path::PathBuf,
}

/// Limits on anonymous API calls, per client address (sysadmin tokens are exempt).
#[derive(Debug, Clone, Deserialize)]
pub struct RateLimitSettings {
    /// Off: no call is ever refused for its rate.
    pub enabled: bool,
    /// Sustained calls per second per client.
    pub per_second: u32,
    /// Calls a client may make at once above the sustained rate.
    pub burst: u32,
    /// Key anonymous calls on the last address of `X-Forwarded-For` (behind a reverse proxy).
    pub trust_forwarded_for: bool,
}

impl Settings {
    /// Reads the layered settings (defaults, environment file, environment variables).
    pub fn load() -> anyhow::Result<Settings> {
        let env_name = std::env::var("DATAPORTAL_ENV").unwrap_or_else(|_| "local".to_owned());
        Settings::load_env(&env_name)
    }

    /// Reads the layered settings for a named environment (`local`, `test`, `production`).
    pub fn load_env(env_name: &str) -> anyhow::Result<Settings> {
        let env_file = Path::new("config").join(format!("{env_name}.toml"));
        config::Config::builder()
            .add_source(config::File::from_str(
                DEFAULT_TOML,
                config::FileFormat::Toml,
            ))
            .add_source(config::File::from(env_file).required(false))
            .add_source(
                config::Environment::with_prefix("DATAPORTAL")
                    .prefix_separator("__")
                    .separator("__"),
            )
            .build()
            .context("reading settings")?
            .try_deserialize()
            .context("settings have a wrong value")
    }

    /// The database URL actually used: the configured one, or the SQLite file in `data_dir`.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            self.data_dir
                .join("dataportal.db")
                .to_string_lossy()
                .into_owned()
        } else {
            self.database.url.trim().to_owned()
        }
    }
}
