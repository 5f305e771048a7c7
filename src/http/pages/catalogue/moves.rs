//! The moves of a catalogue entry from its staff page (issue 12): POSTs under
//! `/catalogue/entry/{id}/…`, each checking the session's CSRF token first (nothing changes
//! without it), then calling one action and going back to a page. A refused review, comment
//! or link comes back on the entry's page with the message next to its field.
//!
//! | POST            | action                       | then                            |
//! |-----------------|------------------------------|---------------------------------|
//! | `submit`        | `catalogue_entry_submit`     | the entry's page                |
//! | `comment`       | `catalogue_entry_comment`    | the entry's page, at comments   |
//! | `link`/`unlink` | `catalogue_entry_link`/…     | the entry's page                |
//! | `review`        | `catalogue_entry_review`     | the data office's page          |
//! | `merge`         | `catalogue_entry_merge`      | the page of the entry kept      |
//! | `delete`        | `catalogue_entry_delete`     | the department's list           |

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::manage::{manage_reply, show, Refused};
use crate::catalog::catalogue::entries::EntryView;
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{AppError, ErrorCode};
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::lifecycle::ConfirmPage;
use crate::http::pages::reply::see_other;
use crate::http::pages::{blocking, reply};
use crate::http::session::{check_csrf, csrf_token, CSRF_FIELD};

type Form = web::Form<HashMap<String, String>>;

/// One move: the action it calls, the form fields it passes on, where it leads.
struct Move {
    action: &'static str,
    fields: &'static [&'static str],
}

fn move_of(word: &str) -> Option<Move> {
    let (action, fields): (&'static str, &'static [&'static str]) = match word {
        "submit" => ("catalogue_entry_submit", &["comment"]),
        "comment" => ("catalogue_entry_comment", &["comment"]),
        "link" => ("catalogue_entry_link", &["package_id"]),
        "unlink" => ("catalogue_entry_unlink", &["package_id"]),
        "review" => ("catalogue_entry_review", &["decision", "comment"]),
        "merge" => ("catalogue_entry_merge", &["into"]),
        _ => return None,
    };
    Some(Move { action, fields })
}

/// Where a move leads once done.
fn after(word: &str, id: &str, kept: &EntryView) -> String {
    match word {
        "review" => "/catalogue/office?done=reviewed".to_owned(),
        "merge" => format!("/catalogue/entry/{}/manage?done=merged", kept.id),
        "comment" => format!("/catalogue/entry/{id}/manage?done=commented#comments"),
        "unlink" => format!("/catalogue/entry/{id}/manage?done=unlinked#datasets"),
        "link" => format!("/catalogue/entry/{id}/manage?done=linked#datasets"),
        _ => format!("/catalogue/entry/{id}/manage?done=submitted"),
    }
}

/// `POST /catalogue/entry/{id}/{move}`.
pub async fn act(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<(String, String)>,
    form: Form,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, form.get(CSRF_FIELD).map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    let (id, word) = path.into_inner();
    let Some(step) = move_of(&word) else {
        return reply::error_page_in(&chrome, &AppError::new(ErrorCode::NotFound));
    };
    let typed: HashMap<String, String> = step
        .fields
        .iter()
        .map(|f| ((*f).to_owned(), form.get(*f).cloned().unwrap_or_default()))
        .collect();
    let mut dict: Dict = typed.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    dict.insert("id".into(), json!(id));
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let done = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        actions::call_as::<EntryView>(ctx, &actor, step.action, &dict)
    })
    .await;
    match done {
        Ok(kept) => see_other(&after(&word, &id, &kept)),
        Err(error @ AppError::Validation(_)) => {
            let mut typed = typed;
            typed.insert("_form".to_owned(), word);
            let refused = Refused {
                typed,
                error: &error,
            };
            manage_reply(
                &chrome,
                Caller(Ok(actor)),
                &session,
                &ctx,
                id,
                Some(refused),
                None,
            )
            .await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `GET /catalogue/entry/{id}/delete`: "really?".
pub async fn delete_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
) -> HttpResponse {
    let id = id.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/catalogue/entry/{id}/delete"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let rights = crate::catalog::catalogue::rights::entry_rights(ctx, &actor, &id)?;
        let entry = show(ctx, &actor, &id)?;
        if !rights.delete {
            let step = crate::error::CatalogueStep::Delete;
            return Err(if rights.member || actor.sysadmin {
                crate::catalog::catalogue::status::refused(step, entry.status)
            } else {
                AppError::forbidden(crate::error::Forbidden::CatalogueEntryEdit)
            });
        }
        Ok(entry)
    })
    .await;
    let entry = match found {
        Ok(entry) => entry,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let csrf = match csrf_token(&session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let page = ConfirmPage {
        chrome: &chrome,
        csrf,
        heading: "cs-delete-heading",
        what: entry.title.clone(),
        explain: "cs-delete-explain",
        action: format!("/catalogue/entry/{}/delete", entry.id),
        back: format!("/catalogue/entry/{}/manage", entry.id),
    };
    reply::no_store(reply::page(&chrome, &page))
}

/// `POST /catalogue/entry/{id}/delete`.
pub async fn delete(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
    form: Form,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, form.get(CSRF_FIELD).map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    let id = id.into_inner();
    let done = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        actions::call(ctx, &actor, "catalogue_entry_delete", &dict, None).map(|_| ())
    })
    .await;
    match done {
        Ok(()) => see_other("/catalogue/mine?done=deleted"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
