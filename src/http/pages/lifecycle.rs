//! A dataset's life in the browser (issue 10): publish, back to draft, private or public
//! (`package_patch`), delete after a confirmation page (`package_delete`, CKAN's
//! `/dataset/delete/{name}`); a resource moved up or down (`package_resource_reorder`) or
//! deleted after a confirmation page (`resource_delete`). Every change is a POST with the
//! session's CSRF token, through the same action as the API.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::chrome::Chrome;
use super::reply::see_other;
use super::resource_form::editable;
use super::{blocking, reply};
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{AppError, ErrorCode, FieldCode};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token, CSRF_FIELD};

/// A page that asks "really?" before a deletion.
#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The heading's text id.
    pub heading: &'static str,
    /// What is to be deleted (a title or a file name).
    pub what: String,
    /// The explanation's text id.
    pub explain: &'static str,
    /// Where the form posts to.
    pub action: String,
    /// Where "cancel" goes.
    pub back: String,
}

type Form = web::Form<HashMap<String, String>>;

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", String::as_str)
}

/// `POST /dataset/{name}/state`: `change` = publish | draft | private | public.
pub async fn change_state(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
    form: Form,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, form.get(CSRF_FIELD).map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    let name = name.into_inner();
    let change = field(&form, "change").to_owned();
    let done = blocking(&ctx, caller, move |ctx, actor| {
        let dataset = editable(ctx, &actor, &name)?;
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(dataset.id));
        match change.as_str() {
            "publish" => dict.insert("state".into(), json!("active")),
            "draft" => dict.insert("state".into(), json!("draft")),
            "private" => dict.insert("private".into(), json!(true)),
            "public" => dict.insert("private".into(), json!(false)),
            _ => return Err(AppError::field("change", FieldCode::MissingValue)),
        };
        actions::call_value(ctx, &actor, "package_patch", &dict, None)?;
        Ok(dataset.name)
    })
    .await;
    match done {
        Ok(name) => see_other(&format!("/dataset/{name}")),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `GET /dataset/delete/{name}`: the confirmation page.
pub async fn delete_dataset_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/delete/{name}"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| editable(ctx, &actor, &name)).await;
    let dataset = match found {
        Ok(dataset) => dataset,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    confirm(
        &chrome,
        &session,
        ConfirmTexts {
            heading: "lifecycle-delete-heading",
            explain: "lifecycle-delete-explain",
        },
        chrome.pick(&dataset.title, &dataset.title_en).to_owned(),
        format!("/dataset/delete/{}", dataset.name),
        format!("/dataset/{}", dataset.name),
    )
}

/// `POST /dataset/delete/{name}`.
pub async fn delete_dataset(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
    form: Form,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, form.get(CSRF_FIELD).map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    let name = name.into_inner();
    let done = blocking(&ctx, caller, move |ctx, actor| {
        let dataset = editable(ctx, &actor, &name)?;
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(dataset.id));
        actions::call_value(ctx, &actor, "package_delete", &dict, None)
    })
    .await;
    match done {
        Ok(_) => see_other("/dashboard/datasets"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `GET /dataset/{name}/resource/{id}/delete`: the confirmation page.
pub async fn delete_resource_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (name, id) = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/{name}/resource/{id}/delete"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let dataset = editable(ctx, &actor, &name)?;
        let resource = dataset
            .resources
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or_else(|| AppError::not_found(ErrorCode::ResourceNotFound, &id))?;
        Ok((dataset.name, resource))
    })
    .await;
    let (name, resource) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    confirm(
        &chrome,
        &session,
        ConfirmTexts {
            heading: "lifecycle-delete-resource-heading",
            explain: "lifecycle-delete-resource-explain",
        },
        resource.name.clone(),
        format!("/dataset/{name}/resource/{}/delete", resource.id),
        format!("/dataset/{name}/resource/{}/edit", resource.id),
    )
}

/// `POST /dataset/{name}/resource/{id}/delete`.
pub async fn delete_resource(
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
    let (name, id) = path.into_inner();
    let done = blocking(&ctx, caller, move |ctx, actor| {
        let dataset = editable(ctx, &actor, &name)?;
        if !dataset.resources.iter().any(|r| r.id == id) {
            return Err(AppError::not_found(ErrorCode::ResourceNotFound, &id));
        }
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        actions::call_value(ctx, &actor, "resource_delete", &dict, None)?;
        Ok(dataset.name)
    })
    .await;
    match done {
        Ok(name) => see_other(&format!("/dataset/{name}")),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `POST /dataset/{name}/resource/{id}/move`: `direction` = up | down, one place.
pub async fn move_resource(
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
    let (name, id) = path.into_inner();
    let up = field(&form, "direction") == "up";
    let done = blocking(&ctx, caller, move |ctx, actor| {
        let dataset = editable(ctx, &actor, &name)?;
        let mut order: Vec<String> = dataset.resources.iter().map(|r| r.id.clone()).collect();
        let at = order
            .iter()
            .position(|r| *r == id)
            .ok_or_else(|| AppError::not_found(ErrorCode::ResourceNotFound, &id))?;
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        if let Some(other) = other.filter(|o| *o < order.len()) {
            order.swap(at, other);
            let mut dict = Dict::new();
            dict.insert("id".into(), json!(dataset.id));
            dict.insert("order".into(), json!(order));
            actions::call_value(ctx, &actor, "package_resource_reorder", &dict, None)?;
        }
        Ok(dataset.name)
    })
    .await;
    match done {
        Ok(name) => see_other(&format!("/dataset/{name}#resources-heading")),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// The text ids of a confirmation page.
struct ConfirmTexts {
    heading: &'static str,
    explain: &'static str,
}

fn confirm(
    chrome: &Chrome,
    session: &Session,
    texts: ConfirmTexts,
    what: String,
    action: String,
    back: String,
) -> HttpResponse {
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let page = ConfirmPage {
        chrome,
        csrf,
        heading: texts.heading,
        what,
        explain: texts.explain,
        action,
        back,
    };
    reply::no_store(reply::page(chrome, &page))
}
