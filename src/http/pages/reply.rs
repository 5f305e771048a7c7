//! Turning a page or an error into a reply: HTML with the language it is written in, the
//! language cookie when `?lang=` chose one, and error pages (never JSON) with the same code and
//! words the API gives.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use askama::Template;

use super::chrome::Chrome;
use crate::error::{render, AppError};

/// A rendered page with status 200.
pub fn page(chrome: &Chrome, template: &impl Template) -> HttpResponse {
    page_with_status(chrome, template, StatusCode::OK)
}

/// A rendered page with the given status.
pub fn page_with_status(
    chrome: &Chrome,
    template: &impl Template,
    status: StatusCode,
) -> HttpResponse {
    match template.render() {
        Ok(html) => html_reply(chrome, status).body(html),
        Err(e) => {
            tracing::error!(error = %e, path = %chrome.path, "a page template failed");
            let error = AppError::Internal(anyhow::anyhow!("template: {e}"));
            let fallback = ErrorPage::of(chrome, &error);
            let html = fallback.render().unwrap_or_default();
            html_reply(chrome, StatusCode::INTERNAL_SERVER_ERROR).body(html)
        }
    }
}

fn html_reply(chrome: &Chrome, status: StatusCode) -> HttpResponseBuilder {
    let mut reply = HttpResponse::build(status);
    reply
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_LANGUAGE, chrome.lang.code()))
        // The language comes from `?lang=` or the cookie, never from `Accept-Language`.
        .insert_header((header::VARY, "Cookie"))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if let Some(cookie) = chrome.lang_cookie() {
        reply.cookie(cookie);
    }
    reply
}

/// The error page of a request.
pub fn error_page(req: &HttpRequest, error: &AppError) -> HttpResponse {
    let chrome = Chrome::of(req);
    error_page_in(&chrome, error)
}

/// The error page in the chrome's language, with the error's status.
pub fn error_page_in(chrome: &Chrome, error: &AppError) -> HttpResponse {
    if let AppError::Internal(cause) = error {
        tracing::error!(error = format!("{cause:#}"), path = %chrome.path, "page failed");
    }
    let page = ErrorPage::of(chrome, error);
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut reply = page_with_status(chrome, &page, status);
    if let Some(seconds) = error.retry_after_secs() {
        if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
            reply.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    reply
}

/// An error as a page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The HTTP status.
    pub status: u16,
    /// The stable code.
    pub code: &'static str,
    /// The message in the page's language.
    pub message: String,
    /// Messages per field.
    pub fields: Vec<(String, Vec<String>)>,
}

impl<'a> ErrorPage<'a> {
    fn of(chrome: &'a Chrome, error: &AppError) -> ErrorPage<'a> {
        let rendered = render(error, chrome.lang);
        ErrorPage {
            chrome,
            status: rendered.status,
            code: rendered.code,
            message: rendered.message,
            fields: rendered.fields,
        }
    }

    /// The page title for the status.
    pub fn heading(&self) -> &str {
        match self.status {
            404 => self.chrome.t("error-not-found"),
            403 => self.chrome.t("error-forbidden"),
            400..=499 => self.chrome.t("error-bad-request"),
            503 => self.chrome.t("error-unavailable"),
            _ => self.chrome.t("error-internal"),
        }
    }
}

/// A 303 to `location` (after a POST, so a reload does not send it again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Sends a visitor who must log in to the login page, and back to `path` afterwards.
pub fn to_login(path: &str) -> HttpResponse {
    see_other(&format!("/user/login?came_from={path}"))
}

/// A page that may show a secret or a form's input: never kept by a cache.
pub fn no_store(mut reply: HttpResponse) -> HttpResponse {
    reply.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    reply
}

/// The HTTP status of an error (the catalogue's; 400 should one ever not be a status).
pub fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.code().status()).unwrap_or(StatusCode::BAD_REQUEST)
}
