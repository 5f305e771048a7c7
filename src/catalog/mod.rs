//! The domain: datasets, resources, organisations, users, roles, themes, licences. Actions
//! take CKAN-style data dicts (JSON objects) and return JSON, like CKAN's action layer, so the
//! API and (later) the web pages call the very same functions. No HTTP here.

pub mod access;
pub mod action_specs;
pub mod actions;
pub mod activity;
pub mod changes;
pub mod datasets;
pub mod indexing;
pub mod integrity;
pub mod organizations;
pub mod params;
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
        }
    }

    /// True for a logged-in user or a system job.
    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some() || self.sysadmin
    }
}

/// A data dict, as CKAN's actions take them.
pub type Dict = serde_json::Map<String, serde_json::Value>;
