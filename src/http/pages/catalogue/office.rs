//! The catalogue's working pages (issue 12): `/catalogue/mine`, a department's entries of
//! every status with its notices; `/catalogue/office`, the data office's workspace (the
//! submitted queue with likely duplicates, entries awaiting the decision, the demand ranking,
//! the office's notices); `/catalogue/office/privacy`, the stored privacy confirmations. Reads
//! through the actions. The version form is in `version_form`.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::{json, Value};

use super::manage::status_text;
use crate::catalog::access::{authorize, Rule};
use crate::catalog::catalogue::duplicates::Duplicate;
use crate::catalog::catalogue::entries::EntryView;
use crate::catalog::catalogue::listing::EntryPage;
use crate::catalog::catalogue::reminders::{Notice, DATA_OFFICE};
use crate::catalog::catalogue::versions::VersionSummary;
use crate::catalog::privacy::checklist::QUESTIONS;
use crate::catalog::privacy::ReviewListed;
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::enums::EntryStatus;
use crate::error::AppResult;
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::publish::OrgChoice;
use crate::http::pages::{blocking, reply};
use crate::http::session::csrf_token;

/// Reads a page of `catalogue_entry_list`.
pub(super) fn entries(
    ctx: &AppContext,
    actor: &Actor,
    filters: Value,
) -> AppResult<Vec<EntryView>> {
    let dict: Dict = serde_json::from_value(filters).unwrap_or_default();
    let page: EntryPage = actions::call_as(ctx, actor, "catalogue_entry_list", &dict)?;
    Ok(page.results)
}

/// Reads the notices of one audience (a department's name, or `data_office`).
fn notices(ctx: &AppContext, actor: &Actor, audience: &str) -> AppResult<Vec<Notice>> {
    let dict: Dict =
        serde_json::from_value(json!({"owner_org": audience, "limit": 50})).unwrap_or_default();
    actions::call_as(ctx, actor, "catalogue_notice_list", &dict)
}

/// Labels the templates of this module share.
pub trait Labels {
    /// The shared chrome.
    fn chrome(&self) -> &Chrome;

    /// A status's label in the page's language.
    fn status_label(&self, status: &str) -> &str {
        self.chrome().t(status_text(status))
    }

    /// A reminder kind's label in the page's language.
    fn kind_label(&self, kind: &str) -> &str {
        self.chrome().t(match kind {
            "publication_due_soon" => "cs-kind-publication_due_soon",
            "publication_overdue" => "cs-kind-publication_overdue",
            "update_due_soon" => "cs-kind-update_due_soon",
            "update_overdue" => "cs-kind-update_overdue",
            _ => "cs-kind-catalogue_review",
        })
    }
}

/// One department's entries and notices.
pub struct DepartmentWork {
    /// The department.
    pub org: OrgChoice,
    /// Its entries, every status, last changed first.
    pub entries: Vec<EntryView>,
    /// Its notices, newest first.
    pub notices: Vec<Notice>,
}

/// `/catalogue/mine`.
#[derive(Template)]
#[template(path = "catalogue_mine.html")]
pub struct MinePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Per department.
    pub departments: Vec<DepartmentWork>,
    /// The data office is looking (a link to its page).
    pub office: bool,
    /// A message after a move.
    pub done: Option<String>,
}

impl Labels for MinePage<'_> {
    fn chrome(&self) -> &Chrome {
        self.chrome
    }
}

/// `GET /catalogue/mine`.
pub async fn mine_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/mine");
    }
    let found = blocking(&ctx, caller, |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("permission".into(), json!("read"));
        let orgs: Vec<OrgChoice> =
            actions::call_as(ctx, &actor, "organization_list_for_user", &dict)?;
        let mut departments = Vec::new();
        for org in orgs {
            let filters = json!({"owner_org": org.id, "rows": 1000, "sort": "modified desc"});
            departments.push(DepartmentWork {
                entries: entries(ctx, &actor, filters)?,
                notices: notices(ctx, &actor, &org.name)?,
                org,
            });
        }
        Ok((departments, actor.is_reviewer()))
    })
    .await;
    let (departments, office) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let done = (query.get("done").map(String::as_str) == Some("deleted"))
        .then(|| chrome.t("cs-done-deleted").to_owned());
    let page = MinePage {
        chrome: &chrome,
        departments,
        office,
        done,
    };
    reply::no_store(reply::page(&chrome, &page))
}

/// An entry waiting for the data office, with its likely duplicates.
pub struct QueueItem {
    /// The entry.
    pub entry: EntryView,
    /// Entries of other departments that look the same, best first.
    pub duplicates: Vec<Duplicate>,
}

/// `/catalogue/office`.
#[derive(Template)]
#[template(path = "catalogue_office.html")]
pub struct OfficePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token (merge buttons).
    pub csrf: String,
    /// Submitted entries, oldest first.
    pub queue: Vec<QueueItem>,
    /// Approved entries the next version will issue.
    pub approved: Vec<EntryView>,
    /// Entries sent back, waiting for their departments.
    pub sent_back: Vec<EntryView>,
    /// Entries by demand, highest first.
    pub ranking: Vec<EntryView>,
    /// The data office's notices.
    pub notices: Vec<Notice>,
    /// Versions issued, newest first.
    pub versions: Vec<VersionSummary>,
    /// A message after a move.
    pub done: Option<String>,
}

impl Labels for OfficePage<'_> {
    fn chrome(&self) -> &Chrome {
        self.chrome
    }
}

impl OfficePage<'_> {
    /// How many entries wait for review.
    pub fn queue_count(&self) -> u64 {
        u64::try_from(self.queue.len()).unwrap_or(u64::MAX)
    }

    /// How many approved entries wait for the decision.
    pub fn approved_count(&self) -> u64 {
        u64::try_from(self.approved.len()).unwrap_or(u64::MAX)
    }
}

/// Entries in the ranking.
const RANKED: usize = 20;

/// `GET /catalogue/office` (the data office).
pub async fn office_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/office");
    }
    let found = blocking(&ctx, caller, |ctx, actor| {
        authorize(&actor, Rule::Reviewer, "catalogue_entry_review")?;
        let submitted = json!({"status": "submitted", "rows": 1000, "sort": "modified asc"});
        let mut queue = Vec::new();
        for entry in entries(ctx, &actor, submitted)? {
            let mut dict = Dict::new();
            dict.insert("id".into(), json!(entry.id));
            let duplicates = actions::call_as(ctx, &actor, "catalogue_entry_duplicates", &dict)?;
            queue.push(QueueItem { entry, duplicates });
        }
        let approved = json!({"status": "approved", "rows": 1000, "sort": "title"});
        let sent_back =
            json!({"status": "changes_requested", "rows": 1000, "sort": "modified asc"});
        // Rejected (merged) and withdrawn entries will not be published: left out of the ranking.
        let mut ranking = entries(ctx, &actor, json!({"rows": 1000, "sort": "demand desc"}))?;
        ranking.retain(|e| !matches!(e.status, EntryStatus::Rejected | EntryStatus::Withdrawn));
        ranking.truncate(RANKED);
        let versions: Vec<VersionSummary> =
            actions::call_as(ctx, &actor, "catalogue_version_list", &Dict::new())?;
        Ok((
            queue,
            (
                entries(ctx, &actor, approved)?,
                entries(ctx, &actor, sent_back)?,
            ),
            ranking,
            notices(ctx, &actor, DATA_OFFICE)?,
            versions,
        ))
    })
    .await;
    let (queue, (approved, sent_back), ranking, notices, mut versions) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    versions.sort_by_key(|v| std::cmp::Reverse(v.version));
    let csrf = match csrf_token(&session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let done = match query.get("done").map(String::as_str) {
        Some("reviewed") => Some(chrome.t("cs-done-reviewed").to_owned()),
        Some("issued") => Some(chrome.t1("cs-done-issued", "version", chrome.param("version"))),
        _ => None,
    };
    let page = OfficePage {
        chrome: &chrome,
        csrf,
        queue,
        approved,
        sent_back,
        ranking,
        notices,
        versions,
        done,
    };
    reply::no_store(reply::page(&chrome, &page))
}

/// `/catalogue/office/privacy`.
#[derive(Template)]
#[template(path = "catalogue_privacy_reviews.html")]
pub struct PrivacyReviewsPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The confirmations, newest first.
    pub reviews: Vec<ReviewListed>,
}

impl PrivacyReviewsPage<'_> {
    /// The checklist's answers in its order: the question in the page's language, the answer.
    pub fn answers(&self, review: &ReviewListed) -> Vec<(&'static str, String)> {
        QUESTIONS
            .iter()
            .filter_map(|q| {
                let answer = review.review.answers.get(q.id)?;
                let shown = match answer {
                    Value::Bool(true) => self.chrome.t("cs-answer-yes").to_owned(),
                    Value::Bool(false) => self.chrome.t("cs-answer-no").to_owned(),
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                Some((self.chrome.pick(q.vi, q.en), shown))
            })
            .collect()
    }

    /// A stored time as people read it: `2026-12-01 07:11` (UTC).
    pub fn when(&self, stored: &str) -> String {
        stored.get(..16).unwrap_or(stored).replacen('T', " ", 1)
    }

    /// A finding's kind in the page's language.
    pub fn finding_label(&self, kind: &crate::privacy::FindingKind) -> &str {
        self.chrome.t(kind.message_id())
    }
}

/// Confirmations listed on the page.
const REVIEWS_SHOWN: u64 = 200;

/// `GET /catalogue/office/privacy` (the data office).
pub async fn privacy_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/office/privacy");
    }
    let found = blocking(&ctx, caller, |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("limit".into(), json!(REVIEWS_SHOWN));
        actions::call_as::<Vec<ReviewListed>>(ctx, &actor, "privacy_review_list", &dict)
    })
    .await;
    match found {
        Ok(reviews) => {
            let page = PrivacyReviewsPage {
                chrome: &chrome,
                reviews,
            };
            reply::no_store(reply::page(&chrome, &page))
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
