//! Logging in and out at CKAN's addresses (`/user/login`, `/user/_logout`, and "log out
//! everywhere"). The login form is checked by its origin (no session before login); every other
//! form carries the session's CSRF token and every POST checks it first.
//!
//! The messages for a wrong password and an unknown account are one and the same
//! (`login_failed`), so the form tells nobody which login names exist.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::{actions, users, Actor, AppContext, Dict};
use crate::error::{render, AppError, AppResult, ErrorCode};
use crate::http::auth::Caller;
use crate::http::session::{self, check_csrf, csrf_token};
use crate::http::LoginRateLimit;

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The login name as typed (kept after an error).
    pub login: String,
    /// Where to go after logging in.
    pub came_from: String,
    /// What went wrong, in the page's language.
    pub error: Option<String>,
}

/// What the login form sends.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    came_from: String,
}

/// A form that sends only its CSRF token (log out, log out everywhere).
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
}

/// The query of the login page.
#[derive(Deserialize)]
pub struct CameFrom {
    #[serde(default)]
    came_from: String,
}

/// A place on this site to return to; anything else (another host, `//host`) goes to the
/// account page.
fn local_path(path: &str) -> String {
    let path = path.trim();
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path.to_owned()
    } else {
        "/user/me".to_owned()
    }
}

pub(super) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {e}"))
}

fn login_reply(
    chrome: &Chrome,
    login: String,
    came_from: String,
    error: Option<&AppError>,
) -> HttpResponse {
    // No CSRF token and so no session row for a visitor who only opens the form: the
    // submission is checked by its origin (`session::check_same_origin`).
    let rendered = error.map(|e| render(e, chrome.lang));
    let status = rendered
        .as_ref()
        .and_then(|r| StatusCode::from_u16(r.status).ok())
        .unwrap_or(StatusCode::OK);
    let page = LoginPage {
        chrome,
        login,
        came_from,
        error: rendered.map(|r| r.message),
    };
    let mut reply = reply::page_with_status(chrome, &page, status);
    if let Some(seconds) = error.and_then(AppError::retry_after_secs) {
        reply
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    reply
}

/// `GET /user/login`.
pub async fn login_page(chrome: Chrome, query: web::Query<CameFrom>) -> HttpResponse {
    let came_from = local_path(&query.came_from);
    if chrome.user.is_some() {
        return see_other(&came_from);
    }
    login_reply(&chrome, String::new(), came_from, None)
}

/// `POST /user/login`: checks the form's origin, the attempt limits, then the password; on
/// success a new session key (no fixation) with the user and a new CSRF token.
pub async fn login_submit(
    req: HttpRequest,
    chrome: Chrome,
    session: Session,
    ctx: web::Data<AppContext>,
    limit: web::Data<LoginRateLimit>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let came_from = local_path(&form.came_from);
    if let Err(e) = session::check_same_origin(&req) {
        return reply::error_page_in(&chrome, &e);
    }
    if let Err(e) = limit.check(&req, &form.login) {
        tracing::warn!(login = %form.login, "login attempts over the limit");
        return login_reply(&chrome, form.login, came_from, Some(&e));
    }
    let (login, password) = (form.login.clone(), form.password);
    let found = blocking(&ctx, Caller(Ok(Actor::anonymous())), move |ctx, _| {
        let Some(actor) = users::verify_credentials(ctx, &login, &password)? else {
            return Ok(None);
        };
        let mut id = Dict::new();
        id.insert("id".into(), json!(actor.user_id));
        let shown: Value = actions::call_as(ctx, &actor, "user_show", &id)?;
        Ok(Some((actor, shown)))
    })
    .await;
    let (actor, shown) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            tracing::info!(login = %form.login, "login refused");
            let e = AppError::new(ErrorCode::LoginFailed);
            return login_reply(&chrome, form.login, came_from, Some(&e));
        }
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    match start_session(&session, &actor, &shown) {
        Ok(()) => {
            tracing::info!(user = ?actor.user_name, "logged in");
            see_other(&came_from)
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// A fresh session key holding the user and a new CSRF token.
fn start_session(session: &Session, actor: &Actor, shown: &Value) -> AppResult<()> {
    session.renew();
    session.clear();
    session
        .insert(session::USER_ID, &actor.user_id)
        .map_err(internal)?;
    session
        .insert(session::USER_NAME, &actor.user_name)
        .map_err(internal)?;
    let display = shown["display_name"].as_str().unwrap_or_default();
    session
        .insert(session::DISPLAY_NAME, display)
        .map_err(internal)?;
    session.remove(session::CSRF);
    csrf_token(session)?;
    Ok(())
}

/// `POST /user/_logout`.
pub async fn logout(chrome: Chrome, session: Session, form: web::Form<CsrfForm>) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    session.purge();
    see_other("/")
}

/// `POST /user/me/logout-everywhere`: ends every session of the user, this one too.
pub async fn logout_everywhere(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let ended = blocking(&ctx, caller, |ctx, actor| match actor.user_id {
        Some(id) => users::sessions_end_for_user(ctx, &id).map(Some),
        None => Ok(None),
    })
    .await;
    match ended {
        Ok(Some(count)) => {
            tracing::info!(sessions = count, "logged out everywhere");
            session.purge();
            see_other("/user/login")
        }
        Ok(None) => see_other("/user/login"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn returns_only_to_this_site() {
        assert_eq!(local_path("/dataset/x"), "/dataset/x");
        assert_eq!(local_path("//evil.example/"), "/user/me");
        assert_eq!(local_path("https://evil.example/"), "/user/me");
        assert_eq!(local_path("/\\evil.example"), "/user/me");
        assert_eq!(local_path(""), "/user/me");
    }
}
