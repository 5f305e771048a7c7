//! The staff page of one catalogue entry (issue 12), `/catalogue/entry/{id}/manage`: what the
//! department proposed, its history and comments, and the forms of the moves open to the
//! person looking (`catalogue::rights`, the actions' own rules): edit, submit and delete for
//! the department, link and unlink of its datasets, review and merge for the data office,
//! comments both ways. The moves themselves are POSTs in `moves`. Also the routes
//! of every staff page of the catalogue.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{form, moves, office, version_form};
use crate::catalog::catalogue::duplicates::Duplicate;
use crate::catalog::catalogue::entries::EntryView;
use crate::catalog::catalogue::rights::{entry_rights, EntryRights};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::error::{render, AppError, AppResult};
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::{blocking, page, reply};
use crate::http::session::csrf_token;

/// Registers the staff pages of the catalogue. Called before the public catalogue's routes,
/// so that `/catalogue/entry/new` is not read as the entry `new`.
pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/catalogue/entry/new", page().to(form::new_page))
        .route("/catalogue/entry/new", web::post().to(form::create))
        .route("/catalogue/entry/{id}/edit", page().to(form::edit_page))
        .route("/catalogue/entry/{id}/edit", web::post().to(form::update))
        .route("/catalogue/entry/{id}/manage", page().to(manage_page))
        .route(
            "/catalogue/entry/{id}/delete",
            page().to(moves::delete_page),
        )
        .route(
            "/catalogue/entry/{id}/delete",
            web::post().to(moves::delete),
        )
        .route("/catalogue/entry/{id}/{move}", web::post().to(moves::act))
        .route("/catalogue/mine", page().to(office::mine_page))
        .route("/catalogue/office", page().to(office::office_page))
        .route(
            "/catalogue/office/version/new",
            page().to(version_form::version_page),
        )
        .route(
            "/catalogue/office/version/new",
            web::post().to(version_form::version_issue),
        )
        .route("/catalogue/office/privacy", page().to(office::privacy_page));
}

/// `catalogue_entry_show` of one entry, as the pages read it.
pub fn show(ctx: &AppContext, actor: &Actor, id: &str) -> AppResult<EntryView> {
    let mut dict = Dict::new();
    dict.insert("id".into(), json!(id));
    actions::call_as(ctx, actor, "catalogue_entry_show", &dict)
}

/// A dataset of the department, offered for linking.
#[derive(Deserialize)]
pub struct DatasetChoice {
    /// Its id.
    pub id: String,
    /// Its URL name.
    pub name: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
}

/// The page of one entry for its department and the data office.
#[derive(Template)]
#[template(path = "catalogue_manage.html")]
pub struct ManagePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The entry, with comments and history.
    pub entry: EntryView,
    /// What the person looking may do.
    pub rights: EntryRights,
    /// The data office is looking (it sees duplicates and the office's page).
    pub office: bool,
    /// Likely duplicates from other departments (the data office only).
    pub duplicates: Vec<Duplicate>,
    /// The department's datasets not linked yet (when linking is open).
    pub datasets: Vec<DatasetChoice>,
    /// What a refused form sent, by field (kept in the form shown again).
    pub typed: HashMap<String, String>,
    /// Messages of a refused form, per field.
    pub errors: HashMap<String, Vec<String>>,
    /// The refusal's message.
    pub notice: Option<String>,
    /// A message after a move (`?done=`).
    pub done: Option<String>,
}

impl ManagePage<'_> {
    /// What a refused form sent in a field.
    pub fn typed(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }

    /// The messages of a field of the form `form` (`review`, `comment`, `link`), when that
    /// form was the one refused (two forms of the page have a `comment`).
    pub fn errors_of(&self, form: &str, name: &str) -> &[String] {
        if self.typed("_form") != form {
            return &[];
        }
        self.errors.get(name).map_or(&[][..], Vec::as_slice)
    }

    /// Whether a field of the form `form` has messages.
    pub fn has_error(&self, form: &str, name: &str) -> bool {
        !self.errors_of(form, name).is_empty()
    }

    /// The label of a status in the page's language.
    pub fn status_label(&self, status: &str) -> &str {
        self.chrome.t(status_text(status))
    }

    /// The entry's themes by their titles in the page's language.
    pub fn theme_titles(&self) -> String {
        let titles: Vec<&str> = self
            .entry
            .themes
            .iter()
            .map(|slug| {
                crate::catalog::vocab::NATIONAL_THEMES
                    .iter()
                    .find(|(s, _, _)| s == slug)
                    .map_or(slug.as_str(), |(_, vi, en)| self.chrome.pick(vi, en))
            })
            .collect();
        titles.join(", ")
    }

    /// A stored time as people read it: `2026-12-01 07:11` (UTC).
    pub fn when(&self, stored: &str) -> String {
        stored.get(..16).unwrap_or(stored).replacen('T', " ", 1)
    }

    /// A frequency's label in the page's language.
    pub fn frequency_label(&self, code: &str) -> String {
        crate::catalog::vocab::FREQUENCIES
            .iter()
            .find(|(c, ..)| *c == code)
            .map_or(code.to_owned(), |(_, vi, en, _)| {
                self.chrome.pick(vi, en).to_owned()
            })
    }
}

/// The text id of a status's label.
pub fn status_text(status: &str) -> &'static str {
    match status {
        "draft" => "cs-status-draft",
        "submitted" => "cs-status-submitted",
        "changes_requested" => "cs-status-changes_requested",
        "approved" => "cs-status-approved",
        "rejected" => "cs-status-rejected",
        "issued" => "cs-status-issued",
        "published" => "cs-status-published",
        _ => "cs-status-withdrawn",
    }
}

/// A refused form shown again on the page: its values and the error.
pub struct Refused<'e> {
    /// What was sent.
    pub typed: HashMap<String, String>,
    /// Why it was refused.
    pub error: &'e AppError,
}

/// `GET /catalogue/entry/{id}/manage`.
pub async fn manage_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let id = id.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/catalogue/entry/{id}/manage"));
    }
    let done = match query.get("done").map(String::as_str) {
        Some(word @ ("saved" | "submitted" | "commented" | "linked" | "unlinked" | "merged")) => {
            Some(chrome.t(&format!("cs-done-{word}")).to_owned())
        }
        _ => None,
    };
    manage_reply(&chrome, caller, &session, &ctx, id, None, done).await
}

/// The manage page, with a refused form shown again when there is one.
pub async fn manage_reply(
    chrome: &Chrome,
    caller: Caller,
    session: &Session,
    ctx: &web::Data<AppContext>,
    id: String,
    refused: Option<Refused<'_>>,
    done: Option<String>,
) -> HttpResponse {
    let found = blocking(ctx, caller, move |ctx, actor| {
        let rights = entry_rights(ctx, &actor, &id)?;
        if !(rights.member || actor.is_reviewer()) {
            // Anyone else reads the public page of an issued entry.
            return Err(AppError::forbidden(
                crate::error::Forbidden::CatalogueEntryEdit,
            ));
        }
        let entry = show(ctx, &actor, &id)?;
        let duplicates = if actor.is_reviewer() {
            let mut dict = Dict::new();
            dict.insert("id".into(), json!(entry.id));
            actions::call_as(ctx, &actor, "catalogue_entry_duplicates", &dict)?
        } else {
            Vec::new()
        };
        let datasets = if rights.link {
            department_datasets(ctx, &actor, &entry)?
        } else {
            Vec::new()
        };
        Ok((entry, rights, actor.is_reviewer(), duplicates, datasets))
    })
    .await;
    let (entry, rights, office, duplicates, datasets) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let (typed, errors, notice, status) = match refused {
        Some(refused) => {
            let rendered = render(refused.error, chrome.lang);
            let status = reply::status_of(refused.error);
            let notice = Some(rendered.message);
            let errors = rendered.fields.into_iter().collect();
            (refused.typed, errors, notice, status)
        }
        None => (HashMap::new(), HashMap::new(), None, StatusCode::OK),
    };
    let page = ManagePage {
        chrome,
        csrf,
        entry,
        rights,
        office,
        duplicates,
        datasets,
        typed,
        errors,
        notice,
        done,
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// Most datasets offered for linking (one page of `package_search`).
const LINK_CHOICES: u64 = 1000;

/// The department's datasets (drafts and private ones too) not yet linked to the entry.
fn department_datasets(
    ctx: &AppContext,
    actor: &Actor,
    entry: &EntryView,
) -> AppResult<Vec<DatasetChoice>> {
    let mut dict = Dict::new();
    dict.insert(
        "fq".into(),
        json!(format!("owner_org:\"{}\"", entry.owner_org)),
    );
    dict.insert("include_private".into(), json!(true));
    dict.insert("include_drafts".into(), json!(true));
    dict.insert("rows".into(), json!(LINK_CHOICES));
    dict.insert("sort".into(), json!("title_string asc"));
    let found: Value = actions::call_as(ctx, actor, "package_search", &dict)?;
    let all: Vec<DatasetChoice> =
        serde_json::from_value(found["results"].clone()).unwrap_or_default();
    Ok(all
        .into_iter()
        .filter(|d| !entry.datasets.iter().any(|l| l.id == d.id))
        .collect())
}
