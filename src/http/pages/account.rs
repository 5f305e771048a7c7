//! The account page `/user/me`: one's own password, API tokens (a new one shown once) and
//! "log out everywhere". Every form carries the session's CSRF token; every POST checks it.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::{actions, users, AppContext, Dict};
use crate::error::render;
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};
use crate::http::LoginRateLimit;

/// The account page.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// `user_show` of the user.
    pub user: AccountView,
    /// The live tokens.
    pub tokens: Vec<TokenView>,
    /// A token just made, shown once.
    pub new_token: Option<String>,
    /// A message after a change (or an error), and whether it is an error.
    pub notice: Option<(String, bool)>,
}

/// The user as the account page shows them.
#[derive(Deserialize)]
pub struct AccountView {
    /// Login name.
    pub name: String,
    /// Full name.
    #[serde(default)]
    pub fullname: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Site administrator.
    #[serde(default)]
    pub sysadmin: bool,
}

/// A live API token, without its secret.
#[derive(Deserialize)]
pub struct TokenView {
    /// Its id (`jti`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was made.
    pub created_at: String,
    /// When it was last used.
    pub last_access: Option<String>,
}

impl TokenView {
    /// The date part of a timestamp.
    pub fn day(stamp: &str) -> &str {
        stamp.get(..10).unwrap_or(stamp)
    }
}

/// The query of the account page: what was just done.
#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /user/me`.
pub async fn account_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    query: web::Query<Done>,
) -> HttpResponse {
    let notice = match query.done.as_str() {
        "password" => Some((chrome.t("password-changed").to_owned(), false)),
        "revoked" => Some((chrome.t("tokens-revoked").to_owned(), false)),
        _ => None,
    };
    account_reply(
        &chrome,
        caller,
        &session,
        &ctx,
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

async fn account_reply(
    chrome: &Chrome,
    caller: Caller,
    session: &Session,
    ctx: &web::Data<AppContext>,
    new_token: Option<String>,
    notice: Option<(String, bool)>,
    status: StatusCode,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/user/me");
    }
    let found = blocking(ctx, caller, |ctx, actor| {
        let Some(id) = actor.user_id.clone() else {
            return Ok(None);
        };
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        let user: AccountView = actions::call_as(ctx, &actor, "user_show", &dict)?;
        let mut dict = Dict::new();
        dict.insert("user_id".into(), json!(id));
        let tokens: Vec<TokenView> = actions::call_as(ctx, &actor, "api_token_list", &dict)?;
        Ok(Some((user, tokens)))
    })
    .await;
    let (user, tokens) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return reply::to_login("/user/me"),
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let page = AccountPage {
        chrome,
        csrf,
        user,
        tokens,
        new_token,
        notice,
    };
    // A page that may show a secret is never kept by a cache.
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// What the password form sends.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /user/me/password`: the current password (counted as a login attempt), then
/// `user_patch`, which ends every session of the account; this one goes on under a new key.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    limit: web::Data<LoginRateLimit>,
    form: web::Form<PasswordForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let Some(user) = chrome.user.as_ref().map(|u| u.name.clone()) else {
        return reply::to_login("/user/me");
    };
    if form.new_password != form.confirm_password {
        let notice = Some((chrome.t("password-mismatch").to_owned(), true));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return account_reply(&chrome, caller, &session, &ctx, None, notice, status).await;
    }
    if let Err(e) = limit.check(&req, &user) {
        let notice = Some((render(&e, chrome.lang).message, true));
        let status = StatusCode::TOO_MANY_REQUESTS;
        return account_reply(&chrome, caller, &session, &ctx, None, notice, status).await;
    }
    let actor = match &caller.0 {
        Ok(actor) => actor.clone(),
        Err(e) => return reply::error_page_in(&chrome, e),
    };
    let (old, new) = (form.old_password, form.new_password);
    let changed = blocking(&ctx, caller, move |ctx, actor| {
        let Some(name) = actor.user_name.clone() else {
            return Ok(false);
        };
        if users::verify_credentials(ctx, &name, &old)?.is_none() {
            return Ok(false);
        }
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(actor.user_id));
        dict.insert("password".into(), json!(new));
        actions::call(ctx, &actor, "user_patch", &dict, None)?;
        Ok(true)
    })
    .await;
    match changed {
        Ok(true) => {
            // The action ended every session of the account: this one goes on under a new key.
            session.renew();
            see_other("/user/me?done=password")
        }
        Ok(false) => {
            let notice = Some((chrome.t("password-old-wrong").to_owned(), true));
            let caller = Caller(Ok(actor));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            account_reply(&chrome, caller, &session, &ctx, None, notice, status).await
        }
        Err(e) => {
            let notice = Some((render(&e, chrome.lang).message, true));
            let status = reply::status_of(&e);
            account_reply(
                &chrome,
                Caller(Ok(actor)),
                &session,
                &ctx,
                None,
                notice,
                status,
            )
            .await
        }
    }
}

/// What the new-token form sends.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    jti: String,
}

/// `POST /user/me/tokens`: a new token, shown once on the page this answers with.
pub async fn create_token(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let actor = match &caller.0 {
        Ok(actor) => actor.clone(),
        Err(e) => return reply::error_page_in(&chrome, e),
    };
    let name = form.name.clone();
    let made = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert(
            "user".into(),
            json!(actor.user_id.clone().unwrap_or_default()),
        );
        dict.insert("name".into(), json!(name));
        let made: Value = actions::call_as(ctx, &actor, "api_token_create", &dict)?;
        Ok(made["token"].as_str().map(str::to_owned))
    })
    .await;
    match made {
        Ok(token) => {
            let caller = Caller(Ok(actor));
            account_reply(&chrome, caller, &session, &ctx, token, None, StatusCode::OK).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `POST /user/me/tokens/revoke`.
pub async fn revoke_token(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let jti = form.jti.clone();
    let revoked = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("jti".into(), json!(jti));
        actions::call(ctx, &actor, "api_token_revoke", &dict, None).map(|_| ())
    })
    .await;
    match revoked {
        Ok(()) => see_other("/user/me?done=revoked"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
