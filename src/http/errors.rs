//! AppError -> a reply in the caller's language: the status, `Retry-After`, and CKAN's error
//! envelope. Every error reply is made (and logged) here, once.

use actix_web::http::header::{self, Header};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use serde_json::{json, Map, Value};

use crate::error::{render, AppError, Lang, RenderedError};

/// The caller's language: `?lang=vi|en` first, then the first spoken one in `Accept-Language`
/// (by its q-values), else Vietnamese.
pub fn lang_of(req: &HttpRequest) -> Lang {
    let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == "lang")
        .and_then(|(_, value)| Lang::from_tag(&value));
    asked
        .or_else(|| {
            let accepted = header::AcceptLanguage::parse(req).ok()?;
            accepted
                .ranked()
                .into_iter()
                .find_map(|preference| match preference {
                    header::Preference::Specific(tag) => Lang::from_tag(tag.primary_language()),
                    header::Preference::Any => None,
                })
        })
        .unwrap_or_default()
}

/// A reply for the error, without its body: the status, `Retry-After` when the client may
/// retry, and a closed connection after a timed-out body (the rest of it is not waited for).
fn reply_for(error: &AppError) -> HttpResponseBuilder {
    let status =
        StatusCode::from_u16(error.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut reply = HttpResponse::build(status);
    if let Some(seconds) = error.retry_after_secs() {
        reply.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    if status == StatusCode::REQUEST_TIMEOUT {
        reply.force_close();
    }
    reply
}

/// CKAN's `error` object: `__type`, `message`, our stable `code`, and for a validation error
/// each field's messages under the field's name.
pub fn error_object(rendered: &RenderedError) -> Value {
    let mut object = Map::new();
    object.insert("__type".to_owned(), json!(rendered.ckan_type));
    object.insert("code".to_owned(), json!(rendered.code));
    for (field, messages) in &rendered.fields {
        object.insert(field.clone(), json!(messages));
    }
    for (key, value) in rendered.details.iter().flatten() {
        object.insert(key.clone(), value.clone());
    }
    // After the fields: a field named `message` would otherwise replace the summary.
    object.insert("message".to_owned(), json!(rendered.message));
    Value::Object(object)
}

/// Logs an error as it becomes a reply: internal faults with their whole cause chain (the
/// client only learns that something failed), refusals briefly.
fn log(error: &AppError, req: &HttpRequest) {
    let code = error.code().as_str();
    match error {
        AppError::Internal(cause) => tracing::error!(
            code,
            method = %req.method(),
            path = req.path(),
            error = format!("{cause:#}"),
            "internal error"
        ),
        _ if error.code().status() >= 500 => {
            tracing::info!(code, path = req.path(), "unavailable")
        }
        _ => tracing::debug!(code, path = req.path(), "refused"),
    }
}

/// The reply for an error in CKAN's envelope (with `help` under `/api/3/action`), in the
/// caller's language.
pub fn error_reply(req: &HttpRequest, error: &AppError, help: Option<&str>) -> HttpResponse {
    log(error, req);
    let lang = lang_of(req);
    let rendered = render(error, lang);
    let mut envelope = json!({"success": false, "error": error_object(&rendered)});
    if let Some(help) = help {
        envelope["help"] = json!(help);
    }
    reply_for(error)
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .json(envelope)
}
