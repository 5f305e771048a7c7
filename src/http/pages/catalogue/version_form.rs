//! Recording the chairman's decision that issues a catalogue version (issue 12):
//! `/catalogue/office/version/new`, for the data office. The form is multipart (the signed PDF),
//! read by the API's own reader as the resource form does, and sent to
//! `catalogue_version_issue`; the decision may also withdraw entries in force. Without its CSRF
//! token the staged file is dropped and nothing is issued.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde_json::{json, Value};

use super::office::entries;
use crate::catalog::access::{authorize, Rule};
use crate::catalog::catalogue::entries::EntryView;
use crate::catalog::catalogue::versions::VersionView;
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::error::{render, AppError};
use crate::http::api::payload;
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::reply::see_other;
use crate::http::pages::{blocking, reply};
use crate::http::session::{check_csrf, csrf_token, CSRF_FIELD};
use crate::http::HttpLimits;

/// `/catalogue/office/version/new`.
#[derive(Template)]
#[template(path = "catalogue_version_form.html")]
pub struct VersionFormPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The approved entries the version will issue.
    pub approved: Vec<EntryView>,
    /// The entries in force, which the decision may withdraw.
    pub in_force: Vec<EntryView>,
    /// What was typed (after a refusal); `withdraw_<id>` for the entries ticked.
    pub values: HashMap<String, String>,
    /// Messages per field.
    pub errors: HashMap<String, Vec<String>>,
    /// The refusal's message.
    pub notice: Option<String>,
}

impl VersionFormPage<'_> {
    /// How many approved entries the version will issue.
    pub fn approved_count(&self) -> u64 {
        u64::try_from(self.approved.len()).unwrap_or(u64::MAX)
    }

    /// The value of a field.
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

    /// Whether the entry's withdrawal box was ticked.
    pub fn withdrawn(&self, id: &str) -> bool {
        self.values.contains_key(&format!("{WITHDRAW}{id}"))
    }
}

/// The version form's text fields.
const VERSION_FIELDS: &[&str] = &["decision_number", "decision_date", "signer"];

/// The prefix of the version form's boxes of entries to withdraw.
const WITHDRAW: &str = "withdraw_";

async fn version_form(
    chrome: &Chrome,
    actor: Actor,
    session: &Session,
    ctx: &web::Data<AppContext>,
    values: HashMap<String, String>,
    error: Option<&AppError>,
) -> HttpResponse {
    let found = blocking(ctx, Caller(Ok(actor)), |ctx, actor| {
        authorize(&actor, Rule::Reviewer, "catalogue_version_issue")?;
        let of = |status: &str| json!({"status": status, "rows": 1000, "sort": "title"});
        let mut in_force = entries(ctx, &actor, of("issued"))?;
        in_force.extend(entries(ctx, &actor, of("published"))?);
        Ok((entries(ctx, &actor, of("approved"))?, in_force))
    })
    .await;
    let (approved, in_force) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let rendered = error.map(|e| render(e, chrome.lang));
    let status = error.map_or(StatusCode::OK, reply::status_of);
    let page = VersionFormPage {
        chrome,
        csrf,
        approved,
        in_force,
        values,
        notice: rendered.as_ref().map(|r| r.message.clone()),
        errors: rendered
            .map(|r| r.fields.into_iter().collect())
            .unwrap_or_default(),
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// `GET /catalogue/office/version/new` (the data office).
pub async fn version_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/catalogue/office/version/new");
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    version_form(&chrome, actor, &session, &ctx, HashMap::new(), None).await
}

/// `POST /catalogue/office/version/new` (multipart): `catalogue_version_issue` with the
/// signed decision. Without its CSRF token the staged file is dropped and nothing is issued.
pub async fn version_issue(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    limits: web::Data<HttpLimits>,
    body: web::Payload,
) -> HttpResponse {
    // Nobody's body is read before we know there is a logged-in user behind it.
    let actor = match caller.0 {
        Ok(actor) if chrome.user.is_some() && actor.is_authenticated() => actor,
        Ok(_) => return reply::to_login("/catalogue/office/version/new"),
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let input = match payload::read(&req, body, &ctx, &limits, true).await {
        Ok(input) => input,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let token = input.dict.get(CSRF_FIELD).and_then(Value::as_str);
    if let Err(e) = check_csrf(&session, token) {
        return reply::error_page_in(&chrome, &e);
    }
    let mut values: HashMap<String, String> = VERSION_FIELDS
        .iter()
        .map(|f| {
            let v = input.dict.get(*f).and_then(Value::as_str).unwrap_or("");
            ((*f).to_owned(), v.trim().to_owned())
        })
        .collect();
    let mut dict: Dict = values.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    // One box per entry in force, `withdraw_<id>`: the ticked ones are withdrawn.
    let withdraw: Vec<String> = input
        .dict
        .keys()
        .filter_map(|k| k.strip_prefix(WITHDRAW))
        .map(str::to_owned)
        .collect();
    for id in &withdraw {
        values.insert(format!("{WITHDRAW}{id}"), "on".to_owned());
    }
    dict.insert("withdraw".into(), json!(withdraw));
    let upload = input.upload;
    let issued = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        let reply = actions::call(ctx, &actor, "catalogue_version_issue", &dict, upload)?;
        let view: VersionView = serde_json::from_value(reply.into_value()?)
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a version view")))?;
        Ok(view.summary.version)
    })
    .await;
    match issued {
        Ok(number) => see_other(&format!("/catalogue/office?done=issued&version={number}")),
        Err(e @ AppError::Validation(_)) => {
            version_form(&chrome, actor, &session, &ctx, values, Some(&e)).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
