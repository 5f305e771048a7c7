//! The privacy review page (issue 12): `/dataset/{name}/privacy`. When the dataset form's
//! "publish" is refused with `privacy_review_required`, the form's other changes are saved
//! without publishing and the editor lands here: the scan's findings in Vietnamese (masked
//! samples only), the re-identification risk checklist as a form, and on confirmation the
//! review (`package_privacy_review`) and the publication (`package_patch`) — the API's own
//! actions, so the page and the API never disagree.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::datasets::view::DatasetView;
use crate::catalog::privacy::checklist::AnswerKind;
use crate::catalog::privacy::{PrivacyStatusView, QuestionView, ReviewView};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::error::{render, AppError};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};
use crate::privacy::{Finding, FindingKind};

/// The review page.
#[derive(Template)]
#[template(path = "privacy_review.html")]
pub struct PrivacyPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// Where the dataset stands.
    pub status: PrivacyStatusView,
    /// The answers shown (kept after an error).
    pub answers: HashMap<String, String>,
    /// Messages per question, in the page's language.
    pub errors: HashMap<String, Vec<String>>,
    /// The message of an error, when there is one.
    pub notice: Option<String>,
}

impl PrivacyPage<'_> {
    /// A finding's kind in the page's language.
    pub fn kind_label(&self, kind: &FindingKind) -> &str {
        self.chrome.t(kind.message_id())
    }

    /// Where a finding is: its column (and sheet).
    pub fn place(&self, finding: &Finding) -> String {
        let column = if finding.column.is_empty() {
            "—".to_owned()
        } else {
            finding.column.clone()
        };
        match &finding.sheet {
            Some(sheet) => format!("{sheet} › {column}"),
            None => column,
        }
    }

    /// A question in the page's language.
    pub fn question<'q>(&self, q: &'q QuestionView) -> &'q str {
        self.chrome.pick(&q.vi, &q.en)
    }

    /// Whether a question is answered in writing.
    pub fn is_text(&self, q: &QuestionView) -> bool {
        q.kind == AnswerKind::Text
    }

    /// The answer shown for a question.
    pub fn answer(&self, id: &str) -> &str {
        self.answers.get(id).map_or("", String::as_str)
    }

    /// The messages of a question.
    pub fn errors_of(&self, id: &str) -> &[String] {
        self.errors.get(id).map_or(&[][..], Vec::as_slice)
    }

    /// A review's answer to a question, as the page shows it.
    pub fn review_answer(&self, review: &ReviewView, id: &str) -> String {
        match review.answers.get(id) {
            Some(Value::Bool(true)) => self.chrome.t("privacy-confirmed").to_owned(),
            Some(Value::String(text)) => text.clone(),
            _ => "—".to_owned(),
        }
    }

    /// Findings no review covers yet.
    pub fn open_findings(&self) -> u64 {
        self.status
            .files
            .iter()
            .filter(|f| !f.reviewed)
            .map(|f| f.scan.findings.len() as u64)
            .sum()
    }

    /// The number of files a review covers.
    pub fn files_count(&self, review: &ReviewView) -> u64 {
        review.files.len() as u64
    }
}

fn status_of_dataset(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
) -> crate::error::AppResult<PrivacyStatusView> {
    let mut dict = Dict::new();
    dict.insert("id".into(), json!(name));
    actions::call_as(ctx, actor, "package_privacy_show", &dict)
}

/// Renders the page (or the error page when the status cannot be read).
async fn page_reply(
    chrome: &Chrome,
    caller: Caller,
    session: &Session,
    ctx: &web::Data<AppContext>,
    name: String,
    answers: HashMap<String, String>,
    error: Option<&AppError>,
) -> HttpResponse {
    let status = match blocking(ctx, caller, move |ctx, actor| {
        status_of_dataset(ctx, &actor, &name)
    })
    .await
    {
        Ok(status) => status,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let (errors, notice, code) = match error {
        Some(e) => {
            let rendered = render(e, chrome.lang);
            let errors = rendered
                .fields
                .into_iter()
                .map(|(field, messages)| {
                    (field.trim_start_matches("answers.").to_owned(), messages)
                })
                .collect();
            // Messages about the answers stand next to their questions; the notice says so
            // rather than repeating them with their field names.
            let about_answers = |fields: &crate::error::FieldErrors| {
                fields.keys().all(|k| k.starts_with("answers"))
            };
            let notice = if matches!(e, AppError::Validation(f) if about_answers(f)) {
                chrome.t("privacy-fix-below").to_owned()
            } else {
                rendered.message
            };
            (errors, Some(notice), reply::status_of(e))
        }
        None => (HashMap::new(), None, StatusCode::OK),
    };
    let page = PrivacyPage {
        chrome,
        csrf,
        status,
        answers,
        errors,
        notice,
    };
    reply::no_store(reply::page_with_status(chrome, &page, code))
}

/// `GET /dataset/{name}/privacy`.
pub async fn review_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/{name}/privacy"));
    }
    page_reply(&chrome, caller, &session, &ctx, name, HashMap::new(), None).await
}

/// The checklist's answers from the form: a checkbox left unticked is a confirmation not
/// given (false), so its message says so rather than "missing".
fn answers_of(
    form: &HashMap<String, String>,
    questions: &[crate::catalog::privacy::checklist::Question],
) -> Dict {
    let mut answers = Dict::new();
    for q in questions {
        let answer = match q.kind {
            AnswerKind::Confirm => json!(form.get(q.id).is_some_and(|v| v == "on" || v == "true")),
            AnswerKind::Text => json!(form.get(q.id).map_or("", |v| v.trim())),
        };
        answers.insert(q.id.to_owned(), answer);
    }
    answers
}

/// `POST /dataset/{name}/privacy`: records the review, then publishes.
pub async fn confirm(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let name = name.into_inner();
    let form = form.into_inner();
    if let Err(e) = check_csrf(&session, form.get("_csrf_token").map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/{name}/privacy"));
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let answers = answers_of(&form, crate::catalog::privacy::checklist::QUESTIONS);
    let id = name.clone();
    let done = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        let mut review = Dict::new();
        review.insert("id".into(), json!(id));
        review.insert("answers".into(), Value::Object(answers));
        actions::call_value(ctx, &actor, "package_privacy_review", &review, None)?;
        let mut publish = Dict::new();
        publish.insert("id".into(), json!(id));
        publish.insert("state".into(), json!("active"));
        publish.insert("private".into(), json!(false));
        let view: DatasetView = actions::call_as(ctx, &actor, "package_patch", &publish)?;
        Ok(view.name)
    })
    .await;
    match done {
        Ok(published) => see_other(&format!("/dataset/{published}")),
        Err(e @ (AppError::Validation(_) | AppError::Refused(_))) if !e.is_not_found() => {
            page_reply(
                &chrome,
                Caller(Ok(actor)),
                &session,
                &ctx,
                name,
                form,
                Some(&e),
            )
            .await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// After the dataset form's publication was refused with `privacy_review_required`: saves the
/// form's other changes without publishing (a new dataset as a draft; an edited one as it was,
/// draft or members only), then sends the editor to the review page. `action` and `dict` are
/// the form's call; `was_draft` whether the dataset was (or is to be) a draft until now.
pub async fn hold_back_and_review(
    chrome: &Chrome,
    actor: Actor,
    ctx: &web::Data<AppContext>,
    action: &'static str,
    mut dict: Dict,
    was_draft: bool,
) -> HttpResponse {
    if was_draft {
        dict.insert("state".into(), json!("draft"));
    } else {
        dict.insert("private".into(), json!(true));
    }
    let saved = blocking(ctx, Caller(Ok(actor)), move |ctx, actor| {
        let view: DatasetView = actions::call_as(ctx, &actor, action, &dict)?;
        Ok(view.name)
    })
    .await;
    match saved {
        Ok(name) => see_other(&format!("/dataset/{name}/privacy")),
        Err(e) => reply::error_page_in(chrome, &e),
    }
}
