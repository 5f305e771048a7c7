//! Organisations for the data office (issue 10): CKAN's `/organization/new`,
//! `/organization/edit/{name}` and `/organization/delete/{name}` (with a confirmation), over
//! `organization_create`, `organization_update` and `organization_delete`. The edit page is
//! open to whoever `organization_update` accepts (sysadmins and the organisation's admins);
//! creating and deleting are for sysadmins, as the actions say. Every POST checks its CSRF
//! token first; a refused form comes back with the typed values and the messages per field.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::access::{authorize, Rule};
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{render, AppError};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};

/// The organisation form's fields: form name (= the action's field), label id, input type.
const FIELDS: [(&str, &str, &str); 8] = [
    ("name", "org-field-name", "text"),
    ("title", "org-field-title", "text"),
    ("title_en", "org-field-title-en", "text"),
    ("description", "org-field-description", "textarea"),
    ("image_url", "org-field-image-url", "url"),
    ("contact_email", "org-field-contact-email", "email"),
    ("contact_phone", "org-field-contact-phone", "tel"),
    ("address", "org-field-address", "text"),
];

/// What the organisation form sends: its CSRF token and the fields of [`FIELDS`].
#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    #[serde(flatten)]
    values: std::collections::HashMap<String, String>,
}

/// One field of the form, with what was typed and its message.
pub struct OrgField {
    /// The form name.
    pub name: &'static str,
    /// The label's message id.
    pub label: &'static str,
    /// `text`, `url`, `email`, `tel` or `textarea`.
    pub kind: &'static str,
    /// The value shown.
    pub value: String,
    /// The message about it, in the page's language.
    pub error: Option<String>,
}

/// The new / edit form.
#[derive(Template)]
#[template(path = "organization_form.html")]
pub struct OrgFormPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// Where the form posts.
    pub action: String,
    /// The organisation's current name when editing; `None` for a new one.
    pub editing: Option<String>,
    /// The fields.
    pub fields: Vec<OrgField>,
    /// The form was refused.
    pub has_errors: bool,
    /// The refusal's message when it is not about one field (those stand under their field).
    pub error: Option<String>,
}

fn form_reply(
    chrome: &Chrome,
    session: &Session,
    editing: Option<String>,
    values: &Dict,
    error: Option<&AppError>,
) -> HttpResponse {
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let rendered = error.map(|e| render(e, chrome.lang));
    let field_error = |name: &str| {
        rendered.as_ref().and_then(|r| {
            r.fields
                .iter()
                .find(|(field, _)| field == name)
                .map(|(_, messages)| messages.join(" "))
        })
    };
    let fields = FIELDS
        .iter()
        .map(|&(name, label, kind)| OrgField {
            name,
            label,
            kind,
            value: values
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            error: field_error(name),
        })
        .collect();
    let action = match &editing {
        Some(name) => format!("/organization/edit/{name}"),
        None => "/organization/new".to_owned(),
    };
    let page = OrgFormPage {
        chrome,
        csrf,
        action,
        editing,
        fields,
        has_errors: rendered.is_some(),
        error: rendered
            .as_ref()
            .filter(|r| r.fields.is_empty())
            .map(|r| r.message.clone()),
    };
    let status = error.map_or(StatusCode::OK, reply::status_of);
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// `GET /organization/new` (sysadmins).
pub async fn new_page(chrome: Chrome, caller: Caller, session: Session) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/organization/new");
    }
    let allowed = caller
        .0
        .and_then(|actor| authorize(&actor, Rule::Sysadmin, "organization_create"));
    if let Err(e) = allowed {
        return reply::error_page_in(&chrome, &e);
    }
    form_reply(&chrome, &session, None, &Dict::new(), None)
}

/// The form's fields as the action's dict (trimmed by the action itself).
fn dict_of(form: &OrgForm) -> Dict {
    FIELDS
        .iter()
        .map(|&(name, _, _)| {
            let value = form.values.get(name).cloned().unwrap_or_default();
            (name.to_owned(), json!(value))
        })
        .collect()
}

/// `POST /organization/new`: `organization_create`, then the new organisation's page.
pub async fn create(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<OrgForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    if chrome.user.is_none() {
        return reply::to_login("/organization/new");
    }
    let dict = dict_of(&form);
    let sent = dict.clone();
    let made = blocking(&ctx, caller, move |ctx, actor| {
        actions::call_as::<OrgName>(ctx, &actor, "organization_create", &sent)
    })
    .await;
    match made {
        Ok(org) => see_other(&format!("/organization/{}", org.name)),
        Err(e @ AppError::Validation(_)) => form_reply(&chrome, &session, None, &dict, Some(&e)),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// The name of an organisation an action answered with.
#[derive(Deserialize)]
pub struct OrgName {
    /// Its URL name.
    pub name: String,
}

/// `GET /organization/edit/{name}`: the form filled from `organization_show`, for those
/// `organization_update` accepts.
pub async fn edit_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
) -> HttpResponse {
    let name = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/organization/edit/{name}"));
    }
    let wanted = name.clone();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        super::org_members::require_admin(ctx, &actor, &wanted)?;
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(wanted));
        dict.insert("include_dataset_count".into(), json!(false));
        actions::call_as::<Dict>(ctx, &actor, "organization_show", &dict)
    })
    .await;
    match found {
        Ok(mut shown) => {
            // A missing English title is null in the dict, an empty field in the form.
            if shown.get("title_en").is_some_and(Value::is_null) {
                shown.insert("title_en".into(), json!(""));
            }
            let current = shown
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&name)
                .to_owned();
            form_reply(&chrome, &session, Some(current), &shown, None)
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `POST /organization/edit/{name}`: `organization_update` (every field of the form), then
/// the organisation's page under its (maybe new) name.
pub async fn update(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<OrgForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let name = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/organization/edit/{name}"));
    }
    let dict = dict_of(&form);
    let mut sent = dict.clone();
    sent.insert("id".into(), json!(name));
    let changed = blocking(&ctx, caller, move |ctx, actor| {
        actions::call_as::<OrgName>(ctx, &actor, "organization_update", &sent)
    })
    .await;
    match changed {
        Ok(org) => see_other(&format!("/organization/{}", org.name)),
        Err(e @ AppError::Validation(_)) => {
            form_reply(&chrome, &session, Some(name), &dict, Some(&e))
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// The confirmation before deleting an organisation.
#[derive(Template)]
#[template(path = "organization_delete.html")]
pub struct DeletePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The organisation's URL name.
    pub name: String,
    /// Its title.
    pub title: String,
}

/// `GET /organization/delete/{name}` (sysadmins): asks to confirm.
pub async fn delete_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
) -> HttpResponse {
    let name = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/organization/delete/{name}"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| {
        authorize(&actor, Rule::Sysadmin, "organization_delete")?;
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        dict.insert("include_dataset_count".into(), json!(false));
        actions::call_as::<Dict>(ctx, &actor, "organization_show", &dict)
    })
    .await;
    let shown = match found {
        Ok(shown) => shown,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let csrf = match csrf_token(&session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let text = |key: &str| {
        shown
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let page = DeletePage {
        chrome: &chrome,
        csrf,
        name: text("name"),
        title: text("title"),
    };
    reply::no_store(reply::page(&chrome, &page))
}

/// A form that sends only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
}

/// `POST /organization/delete/{name}`: `organization_delete` (refused while it owns datasets,
/// with the action's message), then the list of organisations.
pub async fn delete(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let name = path.into_inner();
    let deleted = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        actions::call(ctx, &actor, "organization_delete", &dict, None).map(|_| ())
    })
    .await;
    match deleted {
        Ok(()) => see_other("/organization"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
