//! Harvest sources (pull), targets (push) and their runs, as records and actions modelled on
//! ckanext-harvest (`harvest_source_*`, `harvest_target_*`, `harvest_job_*`), sysadmins only.
//! A run is created here with its background job in one transaction; `harvest::run` carries
//! it out. Nothing here speaks to a remote portal.

mod input;
pub mod runs;
pub mod secret;
pub mod sources;
pub mod targets;

use crate::config::HarvestSettings;
use secret::TokenSeal;

/// What runs of sources and targets need beyond the database: the settings and the seal of
/// the targets' tokens.
#[derive(Clone)]
pub struct HarvestConfig {
    /// `[harvest]` settings.
    pub settings: HarvestSettings,
    /// Seals and opens target tokens.
    pub seal: TokenSeal,
    /// Wakes the in-server job runner when a run is asked for, so "run now" starts at once
    /// instead of at the runner's next look (up to `runner_poll_ms`, a second by default).
    pub wake: std::sync::Arc<tokio::sync::Notify>,
}

impl HarvestConfig {
    /// The config of these settings, with the seal of their key (refused in production
    /// without a strong key).
    pub fn new(
        settings: &HarvestSettings,
        data_dir: &std::path::Path,
        env_name: &str,
    ) -> anyhow::Result<HarvestConfig> {
        Ok(HarvestConfig {
            settings: settings.clone(),
            seal: TokenSeal::from_settings(&settings.secret_key, data_dir, env_name)?,
            wake: Default::default(),
        })
    }

    /// The limits of every exchange with a remote portal.
    pub fn limits(&self) -> dataportal_harvesters::Limits {
        let s = &self.settings;
        dataportal_harvesters::Limits {
            connect_timeout: std::time::Duration::from_secs(s.connect_timeout_secs.max(1)),
            timeout: std::time::Duration::from_secs(s.request_timeout_secs.max(1)),
            max_body_bytes: s.max_body_bytes.max(1024),
            max_pages: s.max_pages.max(1),
        }
    }
}

/// Who a run belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A pull source, by id.
    Source(String),
    /// A push target, by id.
    Target(String),
}

impl Owner {
    /// The source's or target's id.
    pub fn id(&self) -> &str {
        match self {
            Owner::Source(id) | Owner::Target(id) => id,
        }
    }
}
