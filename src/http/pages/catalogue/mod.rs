//! The public pages of the open-data catalogue (issue 12, "Transparency"): the catalogue in
//! force with its decision (`/catalogue`), each entry (`/catalogue/entry/{id}`), the issued
//! versions and what each changed (`/catalogue/versions`, `/catalogue/version/{n}`), the
//! per-department compliance figures as a table and an SVG chart (`/catalogue/figures`), and
//! the catalogue and the figures as CSV, XLSX and JSON.
//!
//! Every page calls the catalogue's read actions (`catalogue_entry_list/show`,
//! `catalogue_version_list/show`, `catalogue_compliance_show`) as the caller, so who sees a
//! draft is the actions' decision alone: anonymous visitors get the issued catalogue.

mod chart;
mod entry;
mod export;
mod figures;
mod form;
mod list;
mod manage;
mod moves;
mod office;
mod version_form;
mod versions;

use actix_web::web;
use serde_json::json;

use super::chrome::Chrome;
use super::page;
use crate::catalog::catalogue::compliance::{ComplianceView, EntryCompliance, Publication};
use crate::catalog::catalogue::entries::{EntryView, LinkedDataset};
use crate::catalog::{actions, vocab, Actor, AppContext, Dict};
use crate::enums::EntryStatus;
use crate::error::AppResult;

/// Registers the catalogue's pages: the staff's first (their forms under
/// `/catalogue/entry/{id}/...`, `/catalogue/mine` and `/catalogue/office`, so that
/// `/catalogue/entry/new` is not read as the entry `new`), then the public pages and exports.
pub fn routes(cfg: &mut web::ServiceConfig) {
    manage::routes(cfg);
    cfg.route("/catalogue", page().to(list::catalogue_page))
        .route(
            "/catalogue.{ext:csv|xlsx|json}",
            page().to(export::catalogue_export),
        )
        .route("/catalogue/figures", page().to(figures::figures_page))
        .route(
            "/catalogue/figures.{ext:csv|xlsx|json}",
            page().to(export::figures_export),
        )
        .route("/catalogue/versions", page().to(versions::versions_page))
        .route(
            "/catalogue/version/{number}",
            page().to(versions::version_page),
        )
        .route("/catalogue/entry/{id}", page().to(entry::entry_page));
}

/// The message id of a status's name.
pub fn status_id(status: EntryStatus) -> &'static str {
    match status {
        EntryStatus::Draft => "cat-status-draft",
        EntryStatus::Submitted => "cat-status-submitted",
        EntryStatus::ChangesRequested => "cat-status-changes_requested",
        EntryStatus::Approved => "cat-status-approved",
        EntryStatus::Rejected => "cat-status-rejected",
        EntryStatus::Issued => "cat-status-issued",
        EntryStatus::Published => "cat-status-published",
        EntryStatus::Withdrawn => "cat-status-withdrawn",
    }
}

/// The message id of where an entry stands on its first publication.
pub fn publication_id(publication: Publication) -> &'static str {
    match publication {
        Publication::OnTime => "cat-pub-on_time",
        Publication::Late => "cat-pub-late",
        Publication::Overdue => "cat-pub-overdue",
        Publication::Pending => "cat-pub-pending",
    }
}

/// The CSS class (and chart pattern) of a publication state.
pub fn publication_class(publication: Publication) -> &'static str {
    match publication {
        Publication::OnTime => "on-time",
        Publication::Late => "late",
        Publication::Overdue => "overdue",
        Publication::Pending => "pending",
    }
}

/// A frequency code in the reader's language (the code itself when unknown).
pub fn frequency_label(chrome: &Chrome, code: &str) -> String {
    vocab::FREQUENCIES
        .iter()
        .find(|(c, ..)| *c == code)
        .map_or(code, |(_, vi, en, _)| chrome.pick(vi, en))
        .to_owned()
}

/// A national theme's title in the reader's language (the name itself when unknown).
pub fn theme_label(chrome: &Chrome, name: &str) -> String {
    vocab::NATIONAL_THEMES
        .iter()
        .find(|(slug, ..)| *slug == name)
        .map_or(name, |(_, vi, en)| chrome.pick(vi, en))
        .to_owned()
}

/// An access method (`download`, `api`) in the reader's language.
pub fn access_label(chrome: &Chrome, method: &str) -> String {
    match method {
        "download" => chrome.t("cat-access-download").to_owned(),
        "api" => chrome.t("cat-access-api").to_owned(),
        other => other.to_owned(),
    }
}

/// A date as the reader writes it (see `cards::date`).
pub fn date(chrome: &Chrome, iso: &str) -> String {
    super::cards::date(chrome.lang, iso)
}

/// What the catalogue's page and export are asked: the action's filters, an order and a page.
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    /// Words, with or without diacritics.
    pub q: String,
    /// A department's URL name.
    pub owner_org: String,
    /// A status code.
    pub status: String,
    /// The action's sort (`title asc` when not given).
    pub sort: String,
    /// 1-based page.
    pub page: u64,
}

/// Entries per page.
pub const ROWS: u64 = 25;

/// The sort orders offered: (the action's sort, message id).
pub const SORTS: &[(&str, &str)] = &[
    ("title asc", "cat-sort-title"),
    ("planned_publication asc", "cat-sort-planned"),
    ("modified desc", "cat-sort-modified"),
];

impl CatalogueQuery {
    /// Reads the query of the page or export (unknown parameters are ignored).
    pub fn of(chrome: &Chrome) -> CatalogueQuery {
        let text = |name: &str| chrome.param(name).trim().to_owned();
        CatalogueQuery {
            q: text("q"),
            owner_org: text("owner_org"),
            status: text("status"),
            sort: Some(text("sort"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| SORTS[0].0.to_owned()),
            // `catalogue_entry_list` starts at most at entry 100,000.
            page: chrome
                .param("page")
                .parse()
                .unwrap_or(1)
                .clamp(1, 100_000 / ROWS),
        }
    }

    /// The `catalogue_entry_list` dict of `rows` entries from `start`.
    pub fn list_dict(&self, rows: u64, start: u64) -> Dict {
        let mut dict = Dict::new();
        for (key, value) in [
            ("q", &self.q),
            ("owner_org", &self.owner_org),
            ("status", &self.status),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                dict.insert(key.into(), json!(value));
            }
        }
        dict.insert("rows".into(), json!(rows));
        dict.insert("start".into(), json!(start));
        dict
    }

    /// The query string of these filters (for links to exports and other pages), without `?`.
    pub fn query_string(&self, page: u64) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", &self.q),
            ("owner_org", &self.owner_org),
            ("status", &self.status),
        ] {
            if !value.is_empty() {
                pairs.append_pair(key, value);
            }
        }
        if self.sort != SORTS[0].0 {
            pairs.append_pair("sort", &self.sort);
        }
        if page > 1 {
            pairs.append_pair("page", &page.to_string());
        }
        pairs.finish()
    }

    /// True when any filter is set.
    pub fn filtered(&self) -> bool {
        !(self.q.is_empty() && self.owner_org.is_empty() && self.status.is_empty())
    }
}

/// The figures of today by the portal's clock (or of `as_of`), for every department.
pub fn compliance(ctx: &AppContext, actor: &Actor, as_of: &str) -> AppResult<ComplianceView> {
    let mut dict = Dict::new();
    if !as_of.is_empty() {
        dict.insert("as_of".into(), json!(as_of));
    }
    actions::call_as(ctx, actor, "catalogue_compliance_show", &dict)
}

/// One entry as the catalogue's page and exports show it, in the reader's language.
pub struct Line {
    /// The entry.
    pub entry: EntryView,
    /// Its status's name.
    pub status: String,
    /// Its department's title.
    pub department: String,
    /// Theme titles.
    pub themes: Vec<String>,
    /// Access methods' names.
    pub access: Vec<String>,
    /// Frequency's name.
    pub frequency: String,
    /// Its due dates, when the catalogue in force holds it.
    pub due: Option<EntryCompliance>,
}

impl Line {
    /// The line of `entry`, with its due dates from `figures` when they list it.
    pub fn of(chrome: &Chrome, entry: EntryView, figures: &ComplianceView) -> Line {
        Line {
            status: chrome.t(status_id(entry.status)).to_owned(),
            department: entry
                .organization
                .as_ref()
                .map(|o| o.title.clone())
                .unwrap_or_default(),
            themes: entry
                .themes
                .iter()
                .map(|t| theme_label(chrome, t))
                .collect(),
            access: entry
                .access_methods
                .iter()
                .map(|m| access_label(chrome, m))
                .collect(),
            frequency: frequency_label(chrome, &entry.frequency),
            due: figures.entries.iter().find(|e| e.id == entry.id).cloned(),
            entry,
        }
    }

    /// Where the entry stands on its publication, in words.
    pub fn publication(&self, chrome: &Chrome) -> String {
        self.due
            .as_ref()
            .map(|d| chrome.t(publication_id(d.publication)).to_owned())
            .unwrap_or_default()
    }

    /// Its linked datasets anyone may open (a private one would be a dead link).
    pub fn public_datasets(&self) -> Vec<&LinkedDataset> {
        self.entry.datasets.iter().filter(|d| d.public).collect()
    }

    /// The CSS class of where it stands on its publication (empty outside the catalogue in
    /// force).
    pub fn publication_class(&self) -> &'static str {
        self.due
            .as_ref()
            .map_or("", |d| publication_class(d.publication))
    }

    /// When its data's next update falls due (ISO), if known.
    pub fn next_update(&self) -> &str {
        self.due
            .as_ref()
            .and_then(|d| d.next_update_due.as_deref())
            .unwrap_or("")
    }
}
