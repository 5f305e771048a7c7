//! An organisation's members, for its admins and sysadmins (issue 10): CKAN's
//! `/organization/members/{name}` lists them with their roles, adds one by login name or
//! e-mail, changes a role (`/organization/member_new/{name}`, as CKAN) and removes one after a
//! confirmation (`/organization/member_delete/{name}?user=`). The list reads `member_list` and
//! `user_show`; changes go through `organization_member_create` / `_delete`, whose rules (admin
//! of the organisation, the last admin stays) are the API's. Editors and members get 403.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::enums::Capacity;
use crate::error::{render, AppError, AppResult, ErrorCode, Forbidden};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};

/// The roles, highest first, with their label ids.
pub const ROLES: [(&str, &str); 3] = [
    ("admin", "members-role-admin"),
    ("editor", "members-role-editor"),
    ("member", "members-role-member"),
];

/// Fails with 403 unless the actor may manage the organisation (`manage_group`, as
/// `organization_list_for_user` reads it), and 404 when it does not exist.
pub fn require_admin(ctx: &AppContext, actor: &Actor, org: &str) -> AppResult<Dict> {
    let mut dict = Dict::new();
    dict.insert("id".into(), json!(org));
    dict.insert("include_dataset_count".into(), json!(false));
    let shown: Dict = actions::call_as(ctx, actor, "organization_show", &dict)?;
    // Sysadmins manage every organisation: no need to list them all (a count per organisation).
    if actor.sysadmin {
        return Ok(shown);
    }
    let mut wanted = Dict::new();
    wanted.insert("permission".into(), json!("manage_group"));
    let managed: Vec<Dict> = actions::call_as(ctx, actor, "organization_list_for_user", &wanted)?;
    let id = shown.get("id");
    if actor.is_authenticated() && managed.iter().any(|o| o.get("id") == id) {
        Ok(shown)
    } else {
        Err(AppError::forbidden(Forbidden::ManageMembers))
    }
}

/// One member as the page lists them.
#[derive(Deserialize)]
pub struct MemberLine {
    /// Login name.
    pub name: String,
    /// Full name, or the login name.
    #[serde(default)]
    pub display_name: String,
    /// The role (filled in from `member_list`).
    #[serde(default)]
    pub capacity: String,
}

/// The members page.
#[derive(Template)]
#[template(path = "organization_members.html")]
pub struct MembersPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The organisation's URL name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// The members, admins first.
    pub members: Vec<MemberLine>,
    /// A message after a change.
    pub notice: Option<String>,
    /// What was typed in the add form, kept after a refusal.
    pub typed: String,
    /// The role chosen in the add form.
    pub typed_role: String,
    /// Why the add form was refused.
    pub error: Option<String>,
}

impl MembersPage<'_> {
    /// The roles and their labels, for the selects.
    pub fn roles(&self) -> &'static [(&'static str, &'static str)] {
        &ROLES
    }
}

/// What was just done (`?done=`).
#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// The organisation and its members, through the actions.
fn load_members(ctx: &AppContext, actor: &Actor, org: &str) -> AppResult<(Dict, Vec<MemberLine>)> {
    let shown = require_admin(ctx, actor, org)?;
    let mut dict = Dict::new();
    dict.insert("id".into(), shown.get("id").cloned().unwrap_or_default());
    let triples: Vec<(String, String, Capacity)> =
        actions::call_as(ctx, actor, "member_list", &dict)?;
    let mut members = Vec::with_capacity(triples.len());
    for (user_id, _, capacity) in triples {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(user_id));
        let mut line: MemberLine = actions::call_as(ctx, actor, "user_show", &dict)?;
        line.capacity = capacity.to_string();
        members.push((capacity, line));
    }
    members.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.name.cmp(&y.name)));
    Ok((shown, members.into_iter().map(|(_, line)| line).collect()))
}

/// The add form as it was sent, with why it was refused.
struct Typed {
    user: String,
    role: String,
    error: Option<String>,
}

/// What the page shows beside the list: a notice after a change, or a refused add form.
struct Outcome {
    notice: Option<String>,
    typed: Option<Typed>,
    status: StatusCode,
}

async fn members_reply(
    chrome: &Chrome,
    caller: Caller,
    session: &Session,
    ctx: &web::Data<AppContext>,
    org: String,
    outcome: Outcome,
) -> HttpResponse {
    let Outcome {
        notice,
        typed,
        status,
    } = outcome;
    let found = blocking(ctx, caller, move |ctx, actor| {
        load_members(ctx, &actor, &org)
    })
    .await;
    let (shown, members) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let text = |key: &str| {
        shown
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let typed = typed.unwrap_or(Typed {
        user: String::new(),
        role: "editor".to_owned(),
        error: None,
    });
    let page = MembersPage {
        chrome,
        csrf,
        name: text("name"),
        title: text("title"),
        members,
        notice,
        typed: typed.user,
        typed_role: typed.role,
        error: typed.error,
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// `GET /organization/members/{name}`.
pub async fn members_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> HttpResponse {
    let org = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/organization/members/{org}"));
    }
    let notice = match query.done.as_str() {
        "added" => Some(chrome.t("members-added").to_owned()),
        "removed" => Some(chrome.t("members-removed").to_owned()),
        _ => None,
    };
    let outcome = Outcome {
        notice,
        typed: None,
        status: StatusCode::OK,
    };
    members_reply(&chrome, caller, &session, &ctx, org, outcome).await
}

/// What the add / change-role form sends.
#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    /// Login name or e-mail.
    #[serde(default)]
    username: String,
    /// admin, editor or member.
    #[serde(default)]
    role: String,
}

/// `POST /organization/member_new/{name}`: `organization_member_create` (adds, or changes the
/// role of one already there). A refusal about the user or the role comes back on the page.
pub async fn member_add(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<MemberForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let org = path.into_inner();
    let form = form.into_inner();
    let actor = match &caller.0 {
        Ok(actor) => actor.clone(),
        Err(e) => return reply::error_page_in(&chrome, e),
    };
    let mut dict = Dict::new();
    dict.insert("id".into(), json!(org));
    dict.insert("username".into(), json!(form.username.trim()));
    dict.insert("role".into(), json!(form.role));
    let added = blocking(&ctx, caller, move |ctx, actor| {
        actions::call(ctx, &actor, "organization_member_create", &dict, None).map(|_| ())
    })
    .await;
    match added {
        Ok(()) => see_other(&format!("/organization/members/{org}?done=added")),
        Err(e) if refused_on_page(&e) => {
            let rendered = render(&e, chrome.lang);
            let message = rendered
                .fields
                .into_iter()
                .flat_map(|(_, messages)| messages)
                .reduce(|a, b| format!("{a} {b}"))
                .unwrap_or(rendered.message);
            let typed = Typed {
                user: form.username,
                role: form.role,
                error: Some(message),
            };
            let outcome = Outcome {
                notice: None,
                typed: Some(typed),
                status: reply::status_of(&e),
            };
            let caller = Caller(Ok(actor));
            members_reply(&chrome, caller, &session, &ctx, org, outcome).await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// Refusals shown beside the form (what was typed is wrong), not as an error page.
fn refused_on_page(error: &AppError) -> bool {
    matches!(error, AppError::Validation(_)) || error.code() == ErrorCode::UserNotFound
}

/// The confirmation before removing a member.
#[derive(Template)]
#[template(path = "organization_member_delete.html")]
pub struct RemovePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The organisation's URL name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// The member's login name.
    pub user: String,
}

/// The member named in `?user=`.
#[derive(Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    user: String,
}

/// `GET /organization/member_delete/{name}?user=`: asks to confirm.
pub async fn remove_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    query: web::Query<UserQuery>,
) -> HttpResponse {
    let org = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/organization/members/{org}"));
    }
    let user = query.into_inner().user;
    let found = blocking(&ctx, caller, move |ctx, actor| {
        load_members(ctx, &actor, &org)
    })
    .await;
    let (shown, members) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    if !members.iter().any(|m| m.name == user) {
        let error = AppError::not_found(ErrorCode::MemberNotFound, &user);
        return reply::error_page_in(&chrome, &error);
    }
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
    let page = RemovePage {
        chrome: &chrome,
        csrf,
        name: text("name"),
        title: text("title"),
        user,
    };
    reply::no_store(reply::page(&chrome, &page))
}

/// What the removal form sends.
#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    /// The member's login name.
    #[serde(default)]
    username: String,
}

/// `POST /organization/member_delete/{name}`: `organization_member_delete`.
pub async fn member_remove(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let org = path.into_inner();
    let mut dict = Dict::new();
    dict.insert("id".into(), json!(org));
    dict.insert("username".into(), json!(form.username));
    let removed = blocking(&ctx, caller, move |ctx, actor| {
        actions::call(ctx, &actor, "organization_member_delete", &dict, None).map(|_| ())
    })
    .await;
    match removed {
        Ok(()) => see_other(&format!("/organization/members/{org}?done=removed")),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
