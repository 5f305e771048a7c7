//! Site roles from the sysadmins' list of accounts (issue 12): `POST /user/{name}/role` grants
//! or revokes the data office's role `reviewer` through `user_role_grant` / `user_role_revoke`,
//! after checking the session's CSRF token, then goes back to the list.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{AppError, FieldCode};
use crate::http::auth::Caller;
use crate::http::session::check_csrf;

/// What the role buttons send.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default, rename = "_csrf_token")]
    csrf: String,
    /// `grant` or `revoke`.
    #[serde(default)]
    change: String,
    /// The site role (`reviewer`).
    #[serde(default)]
    role: String,
}

/// `POST /user/{name}/role`.
pub async fn change_role(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<String>,
    form: web::Form<RoleForm>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, Some(&form.csrf)) {
        return reply::error_page_in(&chrome, &e);
    }
    let name = path.into_inner();
    let action = match form.change.as_str() {
        "grant" => "user_role_grant",
        "revoke" => "user_role_revoke",
        _ => {
            let e = AppError::field(
                "change",
                FieldCode::UnknownChoice.arg("choices", "grant, revoke"),
            );
            return reply::error_page_in(&chrome, &e);
        }
    };
    let role = form.role.clone();
    let changed = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("user".into(), json!(name));
        dict.insert("role".into(), json!(role));
        actions::call(ctx, &actor, action, &dict, None).map(|_| ())
    })
    .await;
    match changed {
        Ok(()) if action == "user_role_grant" => see_other("/user?done=role-granted"),
        Ok(()) => see_other("/user?done=role-revoked"),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
