//! A department proposes an entry of the open-data catalogue (issue 12):
//! `/catalogue/entry/new` (`catalogue_entry_create`, as a draft) and
//! `/catalogue/entry/{id}/edit` (`catalogue_entry_update`, while the department or the data
//! office holds it). A refused form comes back with the messages next to their fields, in the
//! page's language, and what was typed kept; nothing is stored.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use crate::catalog::catalogue::entries::{EntryView, ACCESS_METHODS};
use crate::catalog::{actions, vocab, Actor, AppContext, Dict};
use crate::error::{render, AppError, Forbidden};
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::publish::{editable_orgs, OrgChoice};
use crate::http::pages::reply::see_other;
use crate::http::pages::{blocking, reply};
use crate::http::session::{check_csrf, csrf_token, CSRF_FIELD};

/// The text fields sent to the action as they are.
const TEXT_FIELDS: &[&str] = &[
    "title",
    "description",
    "owner_org",
    "frequency",
    "planned_publication",
    "legal_basis",
    "priority",
];

/// The entry form.
#[derive(Template)]
#[template(path = "catalogue_entry_form.html")]
pub struct EntryFormPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// Where the form posts.
    pub action: String,
    /// The entry's id when editing.
    pub editing: Option<String>,
    /// The values shown (`theme_<slug>` and `access_<method>` for the boxes).
    pub values: HashMap<String, String>,
    /// Messages per field, in the page's language.
    pub errors: HashMap<String, Vec<String>>,
    /// The refusal's message, when there is one.
    pub notice: Option<String>,
    /// The departments the user proposes for.
    pub organizations: Vec<OrgChoice>,
}

impl EntryFormPage<'_> {
    /// The value of a field (empty when none).
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// The messages of a field.
    pub fn errors_of(&self, name: &str) -> &[String] {
        self.errors.get(name).map_or(&[][..], Vec::as_slice)
    }

    /// Whether a field has messages.
    pub fn has_error(&self, name: &str) -> bool {
        !self.errors_of(name).is_empty()
    }

    /// The national themes: slug and title in the page's language.
    pub fn themes(&self) -> Vec<(&'static str, &'static str)> {
        vocab::NATIONAL_THEMES
            .iter()
            .map(|(slug, vi, en)| (*slug, self.chrome.pick(vi, en)))
            .collect()
    }

    /// The frequencies: code and label in the page's language.
    pub fn frequencies(&self) -> Vec<(&'static str, &'static str)> {
        vocab::FREQUENCIES
            .iter()
            .map(|(code, vi, en, _)| (*code, self.chrome.pick(vi, en)))
            .collect()
    }

    /// The ways to reach the data.
    pub fn access_methods(&self) -> &'static [&'static str] {
        ACCESS_METHODS
    }
}

/// The form's values from a stored entry.
fn values_of(entry: &EntryView) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = [
        ("title", entry.title.clone()),
        ("description", entry.description.clone()),
        ("owner_org", entry.owner_org.clone()),
        ("frequency", entry.frequency.clone()),
        ("planned_publication", entry.planned_publication.clone()),
        ("legal_basis", entry.legal_basis.clone()),
        ("priority", entry.priority.to_string()),
        ("formats", entry.formats.join(", ")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for theme in &entry.themes {
        values.insert(format!("theme_{theme}"), "on".into());
    }
    for method in &entry.access_methods {
        values.insert(format!("access_{method}"), "on".into());
    }
    values
}

/// The action's dict from the form's values.
fn dict_of(values: &HashMap<String, String>) -> Dict {
    let mut dict = Dict::new();
    for field in TEXT_FIELDS {
        let value = values.get(*field).map_or("", |v| v.trim());
        dict.insert((*field).into(), json!(value));
    }
    let formats: Vec<&str> = values
        .get("formats")
        .map_or("", String::as_str)
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    dict.insert("formats".into(), json!(formats));
    let themes: Vec<&str> = vocab::NATIONAL_THEMES
        .iter()
        .filter(|(slug, _, _)| values.contains_key(&format!("theme_{slug}")))
        .map(|(slug, _, _)| *slug)
        .collect();
    dict.insert("themes".into(), json!(themes));
    let methods: Vec<&str> = ACCESS_METHODS
        .iter()
        .filter(|m| values.contains_key(&format!("access_{m}")))
        .copied()
        .collect();
    dict.insert("access_methods".into(), json!(methods));
    dict
}

/// The form page (or a 403 page for a user who proposes for no department).
async fn form_reply(
    chrome: &Chrome,
    actor: Actor,
    session: &Session,
    ctx: &web::Data<AppContext>,
    editing: Option<String>,
    values: HashMap<String, String>,
    error: Option<&AppError>,
) -> HttpResponse {
    let entry_id = editing.clone();
    let organizations = match blocking(ctx, Caller(Ok(actor)), move |ctx, actor| {
        let mut orgs = editable_orgs(ctx, &actor)?;
        // The data office edits entries of departments it is not a member of: the entry's own
        // department stays a choice.
        if let Some(id) = entry_id {
            let entry = super::manage::show(ctx, &actor, &id)?;
            if let Some(org) = entry.organization {
                if !orgs.iter().any(|o| o.id == org.id) {
                    orgs.push(OrgChoice {
                        id: org.id,
                        name: org.name,
                        title: org.title,
                    });
                }
            }
        }
        Ok(orgs)
    })
    .await
    {
        Ok(orgs) if orgs.is_empty() && editing.is_none() => {
            let refused = AppError::forbidden(Forbidden::CatalogueEntryEdit);
            return reply::error_page_in(chrome, &refused);
        }
        Ok(orgs) => orgs,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let (errors, notice) = match error {
        Some(e) => {
            let rendered = render(e, chrome.lang);
            (
                rendered.fields.into_iter().collect(),
                Some(rendered.message),
            )
        }
        None => (HashMap::new(), None),
    };
    let action = match &editing {
        Some(id) => format!("/catalogue/entry/{id}/edit"),
        None => "/catalogue/entry/new".to_owned(),
    };
    let status = error.map_or(StatusCode::OK, reply::status_of);
    let page = EntryFormPage {
        chrome,
        csrf,
        action,
        editing,
        values,
        errors,
        notice,
        organizations,
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// `GET /catalogue/entry/new`.
pub async fn new_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/entry/new");
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let mut values = HashMap::new();
    values.insert("priority".to_owned(), "3".to_owned());
    values.insert("access_download".to_owned(), "on".to_owned());
    form_reply(&chrome, actor, &session, &ctx, None, values, None).await
}

/// `GET /catalogue/entry/{id}/edit`: the form filled from `catalogue_entry_show`, offered
/// only while the actor may edit it.
pub async fn edit_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
) -> HttpResponse {
    let id = id.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/catalogue/entry/{id}/edit"));
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let wanted = id.clone();
    let found = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        let rights = crate::catalog::catalogue::rights::entry_rights(ctx, &actor, &wanted)?;
        let entry: EntryView = super::manage::show(ctx, &actor, &wanted)?;
        if !rights.edit {
            let step = crate::error::CatalogueStep::Edit;
            return Err(if rights.member || actor.is_reviewer() {
                crate::catalog::catalogue::status::refused(step, entry.status)
            } else {
                AppError::forbidden(Forbidden::CatalogueEntryEdit)
            });
        }
        Ok(entry)
    })
    .await;
    match found {
        Ok(entry) => {
            let values = values_of(&entry);
            form_reply(&chrome, actor, &session, &ctx, Some(entry.id), values, None).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `POST /catalogue/entry/new`.
pub async fn create(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    save(chrome, caller, session, ctx, None, form.into_inner()).await
}

/// `POST /catalogue/entry/{id}/edit`.
pub async fn update(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let id = id.into_inner();
    save(chrome, caller, session, ctx, Some(id), form.into_inner()).await
}

async fn save(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    editing: Option<String>,
    values: HashMap<String, String>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, values.get(CSRF_FIELD).map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/entry/new");
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let mut dict = dict_of(&values);
    let action = match &editing {
        Some(id) => {
            dict.insert("id".into(), json!(id));
            "catalogue_entry_update"
        }
        None => "catalogue_entry_create",
    };
    let saved = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        actions::call_as::<EntryView>(ctx, &actor, action, &dict)
    })
    .await;
    match saved {
        Ok(entry) => see_other(&format!("/catalogue/entry/{}/manage", entry.id)),
        Err(e @ AppError::Validation(_)) => {
            form_reply(&chrome, actor, &session, &ctx, editing, values, Some(&e)).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
