//! The domain: datasets, resources, organisations, users, roles, themes, licences. Actions
//! take CKAN-style data dicts (JSON objects) and return JSON, like CKAN's action layer, so the
//! API and (later) the web pages call the very same functions. No HTTP here.

pub mod access;
pub mod action_specs;
pub mod actions;
pub mod activity;
pub mod catalogue;
pub mod changes;
pub mod datasets;
pub mod dcat;
pub mod downloads;
pub mod harvesting;
pub mod indexing;
pub mod integrity;
pub mod organizations;
pub mod params;
pub mod places;
pub mod privacy;
pub mod search;
pub mod suggest;
pub mod themes;
pub mod users;
pub mod vocab;

use crate::db::Db;
use crate::storage::FileStore;

/// Everything an action needs: the database, the file store and a few settings.
#[derive(Clone)]
pub struct AppContext {
    /// The source of truth.
    pub db: Db,
    /// Uploaded files.
    pub files: FileStore,
    /// Public base URL, without trailing slash, for links to uploaded files.
    pub site_url: String,
    /// Password-hashing cost.
    pub password_cost: users::PasswordCost,
    /// The search index; only the server opens it (one writer per index).
    pub search: Option<std::sync::Arc<crate::search::engine::SearchIndex>>,
    /// How far the search index has followed the change journal.
    pub journal: indexing::follow::SharedCursor,
    /// Downloads counted and not yet written.
    pub downloads: downloads::DownloadTally,
    /// The privacy gate before publication.
    pub privacy: privacy::PrivacyPolicy,
    /// Harvest settings and the seal of target tokens.
    pub harvest: std::sync::Arc<harvesting::HarvestConfig>,
    /// The open-data catalogue's settings, clock and demand counters.
    pub catalogue: catalogue::Runtime,
    /// Outgoing e-mail (off unless `[mail]` names a relay).
    pub mail: crate::mail::Mailer,
}

impl AppContext {
    /// Runs `work` in one write transaction; after the commit the search index follows what
    /// the write logged in the change journal, so every writer (API, pages, CLI, import,
    /// harvesters) keeps it in step without knowing it exists. The change is stored once the
    /// transaction commits: an indexing failure is logged and repaired in the background,
    /// never reported as a failed write (a retry would be told its own name is taken).
    pub fn write<T>(
        &self,
        work: impl FnOnce(&mut crate::db::DbConnection) -> crate::error::AppResult<T>,
    ) -> crate::error::AppResult<T> {
        let outcome = self.db.write(work)?;
        if let Err(error) = indexing::follow::follow(self) {
            tracing::error!(error = %error, "indexing a stored change failed");
            indexing::repair_in_background(self);
        }
        // A write that made a linked dataset public publishes its catalogue entry; if this
        // fails, the reminder tick catches up.
        if let Err(error) = catalogue::review::follow_publication(self) {
            tracing::warn!(error = %error, "publishing catalogue entries");
        }
        Ok(outcome)
    }
}

/// Who is calling an action.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The user's id, None when anonymous or a system job.
    pub user_id: Option<String>,
    /// The user's login name.
    pub user_name: Option<String>,
    /// Site administrator (system jobs act as one).
    pub sysadmin: bool,
    /// Roles held across the site (the data office is `reviewer`).
    pub site_roles: Vec<crate::enums::SiteRole>,
}

impl Actor {
    /// Nobody logged in.
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    /// Command-line tools and background jobs: full rights, recorded as no user.
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            user_name: None,
            sysadmin: true,
            site_roles: Vec::new(),
        }
    }

    /// A logged-in user with the site roles read for them.
    pub fn user(
        row: &crate::db::models::UserRow,
        site_roles: Vec<crate::enums::SiteRole>,
    ) -> Actor {
        Actor {
            user_id: Some(row.id.clone()),
            user_name: Some(row.name.clone()),
            sysadmin: row.sysadmin,
            site_roles,
        }
    }

    /// True for the data office (site role `reviewer`) and sysadmins, who may do everything.
    pub fn is_reviewer(&self) -> bool {
        self.sysadmin || self.site_roles.contains(&crate::enums::SiteRole::Reviewer)
    }

    /// True for a logged-in user or a system job.
    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some() || self.sysadmin
    }
}

/// A data dict, as CKAN's actions take them.
pub type Dict = serde_json::Map<String, serde_json::Value>;
