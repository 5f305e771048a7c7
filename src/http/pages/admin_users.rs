//! Staff accounts for sysadmins (issue 10): the list at CKAN's `/user`, creating an account,
//! one-time password reset links (shown once to the sysadmin, and e-mailed to the user when a
//! relay is configured) and disabling or
//! re-enabling an account. Every change goes through an action; every POST checks its CSRF
//! token first. `/user/reset/{token}` is where the holder of a link sets a new password.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::access::{authorize, Rule};
use crate::catalog::{actions, users, AppContext, Dict};
use crate::error::{render, AppError};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};
use crate::mail::MailOutcome;

/// The list of accounts.
#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct UserListPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// `user_list`.
    pub users: Vec<UserLine>,
    /// A message after a change.
    pub notice: Option<String>,
    /// A reset link just made, shown once.
    pub reset: Option<ResetLink>,
}

/// One account as `user_list` gives it.
#[derive(Deserialize)]
pub struct UserLine {
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
    /// `active` or `deleted` (shown as disabled).
    pub state: String,
    /// The organisations the account belongs to.
    #[serde(default)]
    pub organizations: Vec<OrgRole>,
    /// Its site roles (`reviewer`: the data office).
    #[serde(default)]
    pub site_roles: Vec<String>,
}

impl UserLine {
    /// Whether the account may log in.
    pub fn active(&self) -> bool {
        self.state == "active"
    }

    /// Whether the account is the data office (site role `reviewer`).
    pub fn reviewer(&self) -> bool {
        self.site_roles.iter().any(|r| r == "reviewer")
    }
}

/// A membership in the list.
#[derive(Deserialize)]
pub struct OrgRole {
    /// The organisation's URL name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// admin, editor or member.
    pub capacity: String,
}

/// A reset link made by `user_password_reset_create`.
#[derive(Deserialize)]
pub struct ResetLink {
    /// The account's login name.
    pub name: String,
    /// The secret token.
    pub token: String,
    /// When it stops working (UTC).
    pub expires: String,
    /// The whole link (filled in by the page).
    #[serde(default)]
    pub url: String,
    /// Whether the link was also e-mailed to the user.
    #[serde(default)]
    pub mail: Option<MailOutcome>,
}

impl ResetLink {
    /// The message id saying what became of the e-mail.
    pub fn mail_note(&self) -> &'static str {
        match self.mail {
            Some(MailOutcome::Sent) => "admin-reset-mailed",
            Some(MailOutcome::Failed) => "admin-reset-mail-failed",
            Some(MailOutcome::Off) | None => "admin-reset-no-mail",
        }
    }
}

/// The query of the list: what was just done.
#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /user`.
pub async fn user_list_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    query: web::Query<Done>,
) -> HttpResponse {
    let notice = match query.done.as_str() {
        "created" => Some(chrome.t("admin-user-created").to_owned()),
        "disabled" => Some(chrome.t("admin-user-disabled").to_owned()),
        "enabled" => Some(chrome.t("admin-user-enabled").to_owned()),
        "role-granted" => Some(chrome.t("cs-role-granted").to_owned()),
        "role-revoked" => Some(chrome.t("cs-role-revoked").to_owned()),
        _ => None,
    };
    list_reply(&chrome, caller, &session, &ctx, notice, None).await
}

async fn list_reply(
    chrome: &Chrome,
    caller: Caller,
    session: &Session,
    ctx: &web::Data<AppContext>,
    notice: Option<String>,
    reset: Option<ResetLink>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/user");
    }
    let found = blocking(ctx, caller, |ctx, actor| {
        actions::call_as::<Vec<UserLine>>(ctx, &actor, "user_list", &Dict::new())
    })
    .await;
    let users = match found {
        Ok(users) => users,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let reset = reset.map(|mut link| {
        link.url = format!(
            "{}/user/reset/{}",
            chrome.site_url.trim_end_matches('/'),
            link.token
        );
        link
    });
    let page = UserListPage {
        chrome,
        csrf,
        users,
        notice,
        reset,
    };
    reply::no_store(reply::page(chrome, &page))
}

/// The form for a new account.
#[derive(Template)]
#[template(path = "admin_user_new.html")]
pub struct NewUserPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The text fields with what was typed (kept after an error; never the password) and
    /// their messages.
    pub fields: Vec<FieldView>,
    /// The sysadmin box was ticked.
    pub sysadmin: bool,
    /// Some field is wrong.
    pub has_errors: bool,
}

/// One text field of the form.
pub struct FieldView {
    /// The form name (and the action's field).
    pub name: &'static str,
    /// The label's message id.
    pub label: &'static str,
    /// The input type.
    pub kind: &'static str,
    /// What was typed.
    pub value: String,
    /// The messages about it, in the page's language.
    pub error: Option<String>,
}

/// What the new-account form sends.
#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    /// Login name.
    #[serde(default)]
    pub name: String,
    /// Full name.
    #[serde(default)]
    pub fullname: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    password: String,
    /// Make a sysadmin ("on" when ticked).
    #[serde(default)]
    pub sysadmin: String,
}

/// `GET /user/new`.
pub async fn new_user_page(chrome: Chrome, caller: Caller, session: Session) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/user/new");
    }
    let allowed = caller
        .0
        .and_then(|actor| authorize(&actor, Rule::Sysadmin, "user_create"));
    if let Err(e) = allowed {
        return reply::error_page_in(&chrome, &e);
    }
    new_user_reply(
        &chrome,
        &session,
        NewUserForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
}

fn new_user_reply(
    chrome: &Chrome,
    session: &Session,
    form: NewUserForm,
    errors: Vec<(String, Vec<String>)>,
    status: StatusCode,
) -> HttpResponse {
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let error = |field: &str| {
        errors
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, messages)| messages.join(" "))
    };
    let fields = vec![
        ("name", "account-name", "text", form.name),
        ("fullname", "account-fullname", "text", form.fullname),
        ("email", "account-email", "email", form.email),
        (
            "password",
            "admin-initial-password",
            "password",
            String::new(),
        ),
    ]
    .into_iter()
    .map(|(name, label, kind, value)| FieldView {
        name,
        label,
        kind,
        value,
        error: error(name),
    })
    .collect();
    let page = NewUserPage {
        chrome,
        csrf,
        fields,
        sysadmin: form.sysadmin == "on",
        has_errors: !errors.is_empty(),
    };
    reply::page_with_status(chrome, &page, status)
}

/// `POST /user/new`: `user_create`; without a password the account gets an unguessable one
/// nobody sees and the page answers with a reset link for its owner.
pub async fn new_user_submit(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<NewUserForm>,
) -> HttpResponse {
    let mut form = form.into_inner();
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    if chrome.user.is_none() {
        return reply::to_login("/user/new");
    }
    let password = std::mem::take(&mut form.password);
    let mut dict = Dict::new();
    dict.insert("name".into(), json!(form.name.trim()));
    dict.insert("fullname".into(), json!(form.fullname.trim()));
    dict.insert("email".into(), json!(form.email.trim()));
    dict.insert("sysadmin".into(), json!(form.sysadmin == "on"));
    let with_link = password.is_empty();
    let password = if with_link {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        hex::encode(secret)
    } else {
        password
    };
    dict.insert("password".into(), json!(password));
    let actor = match &caller.0 {
        Ok(actor) => actor.clone(),
        Err(e) => return reply::error_page_in(&chrome, e),
    };
    let created = blocking(&ctx, caller, move |ctx, actor| {
        let made: Value = actions::call_as(ctx, &actor, "user_create", &dict)?;
        if !with_link {
            return Ok(None);
        }
        let mut dict = Dict::new();
        dict.insert("id".into(), made["id"].clone());
        let link: ResetLink = actions::call_as(ctx, &actor, "user_password_reset_create", &dict)?;
        Ok(Some(link))
    })
    .await;
    match created {
        Ok(None) => see_other("/user?done=created"),
        Ok(Some(link)) => {
            let notice = Some(chrome.t("admin-user-created").to_owned());
            let caller = Caller(Ok(actor));
            list_reply(&chrome, caller, &session, &ctx, notice, Some(link)).await
        }
        Err(e @ AppError::Validation(_)) => {
            let errors = render(&e, chrome.lang).fields;
            new_user_reply(&chrome, &session, form, errors, reply::status_of(&e))
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// A form that sends only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
}

/// `POST /user/{name}/reset`: a new one-time link, shown once on the list.
pub async fn reset_create(
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
    let actor = match &caller.0 {
        Ok(actor) => actor.clone(),
        Err(e) => return reply::error_page_in(&chrome, e),
    };
    let made = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        actions::call_as::<ResetLink>(ctx, &actor, "user_password_reset_create", &dict)
    })
    .await;
    match made {
        Ok(link) => {
            let caller = Caller(Ok(actor));
            list_reply(&chrome, caller, &session, &ctx, None, Some(link)).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `POST /user/{name}/disable`: `user_delete` (the account's sessions and tokens end).
pub async fn disable(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    set_state(chrome, caller, session, ctx, path.into_inner(), form, false).await
}

/// `POST /user/{name}/enable`: `user_patch` with `state=active`.
pub async fn enable(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    set_state(chrome, caller, session, ctx, path.into_inner(), form, true).await
}

async fn set_state(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: String,
    form: web::Form<CsrfForm>,
    active: bool,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let changed = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        let action = if active {
            dict.insert("state".into(), json!("active"));
            "user_patch"
        } else {
            "user_delete"
        };
        actions::call(ctx, &actor, action, &dict, None).map(|_| ())
    })
    .await;
    match changed {
        Ok(()) if active => see_other("/user?done=enabled"),
        Ok(()) => see_other("/user?done=disabled"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// The page of a reset link.
#[derive(Template)]
#[template(path = "password_reset.html")]
pub struct ResetPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The token from the address.
    pub token: String,
    /// The account's login name; `None` when the link is unknown, spent or expired.
    pub name: Option<String>,
    /// What went wrong with the new password.
    pub error: Option<String>,
    /// The password was changed.
    pub done: bool,
}

fn reset_reply(chrome: &Chrome, session: &Session, page: ResetPage<'_>) -> HttpResponse {
    let status = if page.done {
        StatusCode::OK
    } else if page.name.is_none() {
        StatusCode::NOT_FOUND
    } else if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let page = ResetPage { csrf, ..page };
    let mut reply = reply::no_store(reply::page_with_status(chrome, &page, status));
    // The token must not leak to other sites through the Referer header.
    reply.headers_mut().insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    reply
}

/// `GET /user/reset/{token}`.
pub async fn reset_page(
    chrome: Chrome,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
) -> HttpResponse {
    let token = path.into_inner();
    let lookup = token.clone();
    let found = web::block(move || users::password_reset_user(&ctx, &lookup)).await;
    let name = match found {
        Ok(Ok(name)) => name,
        Ok(Err(e)) => return reply::error_page_in(&chrome, &e),
        Err(e) => return reply::error_page_in(&chrome, &super::login::internal(e)),
    };
    let page = ResetPage {
        chrome: &chrome,
        csrf: String::new(),
        token,
        name,
        error: None,
        done: false,
    };
    reset_reply(&chrome, &session, page)
}

/// What the reset form sends.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /user/reset/{token}`: the new password; the link is spent and every session of the
/// account ends.
pub async fn reset_submit(
    chrome: Chrome,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<ResetForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let token = path.into_inner();
    let mut page = ResetPage {
        chrome: &chrome,
        csrf: String::new(),
        token: token.clone(),
        name: Some(String::new()),
        error: None,
        done: false,
    };
    if form.new_password != form.confirm_password {
        let lookup = token.clone();
        let ctx = ctx.clone();
        page.name = web::block(move || users::password_reset_user(&ctx, &lookup))
            .await
            .ok()
            .and_then(Result::ok)
            .flatten();
        page.error = Some(chrome.t("password-mismatch").to_owned());
        return reset_reply(&chrome, &session, page);
    }
    let (lookup, password) = (token.clone(), form.new_password);
    let ctx2 = ctx.clone();
    let redeemed = web::block(move || users::password_reset_redeem(&ctx2, &lookup, &password))
        .await
        .map_err(super::login::internal)
        .and_then(|r| r);
    match redeemed {
        Ok(true) => page.done = true,
        Ok(false) => page.name = None,
        Err(e @ AppError::Validation(_)) => {
            let lookup = token.clone();
            page.name = web::block(move || users::password_reset_user(&ctx, &lookup))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten();
            let fields = render(&e, chrome.lang).fields;
            page.error = Some(
                fields
                    .into_iter()
                    .flat_map(|(_, messages)| messages)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Err(e) => return reply::error_page_in(&chrome, &e),
    }
    reset_reply(&chrome, &session, page)
}
