//! One-time password reset links (issue 10): a sysadmin makes one for an account
//! (`user_password_reset_create`) and hands it over; whoever opens it sets a new password once.
//!
//! The token is 32 random bytes shown once; only its SHA-256 is stored. A link lasts
//! [`RESET_TTL_SECS`]; spending it spends every other live link of the account too, and ends all
//! the account's web sessions. Opening a link is not a registry action: like logging in, the
//! token itself is the credential, so no actor calls it.
//!
//! With a mail relay configured the link is also e-mailed to the account's address, after the
//! link is stored: the result's `mail` says whether that worked (`sent`, `failed`, `off`), and
//! a failed mail leaves the link in place for the sysadmin to pass on.

use diesel::prelude::*;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{check_password, find_user, hash_password, record_user, sessions, user_not_found};
use crate::catalog::params::{self, Errors};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::models::UserRow;
use crate::db::schema::{password_resets, users};
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, ObjectState};
use crate::error::AppResult;
use crate::mail::{MailOutcome, OutgoingMail};

/// How long a reset link lasts: a working day to pass it on, not more.
pub const RESET_TTL_SECS: i64 = 24 * 60 * 60;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `user_password_reset_create` (sysadmins): a new one-time link for an active account. Returns
/// the token (shown once), the account's name, the expiry and what became of the e-mail.
pub fn user_password_reset_create(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token = hex::encode(secret);
    let expires_at = now_secs() + RESET_TTL_SECS;
    let (mut made, email) = ctx.write(|conn| {
        let user = find_user(conn, &id)?.ok_or_else(|| user_not_found(&id))?;
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::token_hash.eq(token_hash(&token)),
                password_resets::user_id.eq(&user.id),
                password_resets::created_by.eq(actor.user_id.as_deref()),
                password_resets::created.eq(now_text()),
                password_resets::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        let object = json!({"id": user.id, "name": user.name});
        let changes = vec!["password_reset_link".to_owned()];
        record_user(
            conn,
            actor,
            &user.id,
            ActivityType::Changed,
            changes,
            &object,
        )?;
        let expires = chrono::DateTime::from_timestamp(expires_at, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        let made = json!({
            "user_id": user.id,
            "name": user.name,
            "token": token,
            "expires": expires,
        });
        Ok((made, user.email))
    })?;
    // After the commit, outside the write lock: a slow relay holds up no other writer.
    let outcome = if ctx.mail.is_enabled() && !email.trim().is_empty() {
        let url = format!("{}/user/reset/{token}", ctx.site_url);
        let name = made["name"].as_str().unwrap_or_default();
        let expires = made["expires"].as_str().unwrap_or_default();
        ctx.mail
            .send_or_log(reset_mail(&email, name, &url, expires, &ctx.site_url))
    } else {
        MailOutcome::Off
    };
    made["mail"] = json!(outcome);
    Ok(made)
}

/// The e-mail carrying a reset link, Vietnamese first and English below, as the pages are.
fn reset_mail(to: &str, name: &str, url: &str, expires: &str, site: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Đặt lại mật khẩu cổng dữ liệu mở / Reset your open data portal password"
            .to_owned(),
        text: format!(
            "Xin chào {name},\n\n\
             Quản trị hệ thống của cổng dữ liệu mở ({site}) đã tạo cho tài khoản \"{name}\" \
             một liên kết đặt lại mật khẩu. Mở liên kết dưới đây để đặt mật khẩu mới; \
             liên kết chỉ dùng được một lần và hết hạn lúc {expires} (giờ UTC):\n\n\
             {url}\n\n\
             Nếu bạn không cần đặt lại mật khẩu, hãy bỏ qua thư này.\n\n\
             ---\n\n\
             Hello {name},\n\n\
             An administrator of the open data portal ({site}) made a password reset link \
             for the account \"{name}\". Open the link above to choose a new password; it \
             works once and expires at {expires} (UTC). If you do not need it, ignore this \
             message.\n"
        ),
    }
}

/// The active account a live (unspent, unexpired) link is for.
fn live_link_user(conn: &mut DbConnection, token: &str) -> AppResult<Option<UserRow>> {
    Ok(password_resets::table
        .inner_join(users::table)
        .filter(password_resets::token_hash.eq(token_hash(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now_secs()))
        .filter(users::state.eq(ObjectState::Active))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// The login name of the account a live link is for; `None` for an unknown, spent or expired
/// link (the page says the same for all three).
pub fn password_reset_user(ctx: &AppContext, token: &str) -> AppResult<Option<String>> {
    ctx.db
        .read(|conn| Ok(live_link_user(conn, token)?.map(|user| user.name)))
}

/// Spends a live link: sets the new password, spends the account's other links and ends its
/// sessions, in one transaction. `Ok(false)` for an unknown, spent or expired link; a too short
/// password is a field error (`password`) and spends nothing.
pub fn password_reset_redeem(ctx: &AppContext, token: &str, password: &str) -> AppResult<bool> {
    let mut errors = Errors::default();
    check_password(password, &mut errors);
    errors.into_result()?;
    // Hash before taking the write lock: argon2 is deliberately slow.
    let password_hash = hash_password(ctx.password_cost, password)?;
    ctx.write(|conn| {
        let Some(user) = live_link_user(conn, token)? else {
            return Ok(false);
        };
        let now = now_text();
        // Only the first of two racing requests spends the link.
        let spent = diesel::update(
            password_resets::table
                .filter(password_resets::token_hash.eq(token_hash(token)))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(&now))
        .execute(conn)?;
        if spent == 0 {
            return Ok(false);
        }
        diesel::update(
            password_resets::table
                .filter(password_resets::user_id.eq(&user.id))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(&now))
        .execute(conn)?;
        diesel::update(users::table.find(&user.id))
            .set(users::password_hash.eq(&password_hash))
            .execute(conn)?;
        sessions::end_all(conn, &user.id)?;
        // Only recorded as the author of the change: no roles needed.
        let actor = Actor::user(&user, Vec::new());
        let object = json!({"id": user.id, "name": user.name});
        let changes = vec!["password".to_owned()];
        record_user(
            conn,
            &actor,
            &user.id,
            ActivityType::Changed,
            changes,
            &object,
        )?;
        Ok(true)
    })
}
