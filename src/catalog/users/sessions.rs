//! Logging in and the sessions of the web pages: checking a login name (or e-mail) and
//! password, and the `sessions` table behind the session cookie.
//!
//! Sessions live on the server so that logging out, "log out everywhere", deactivation and a
//! password change end them for good, and an idle session expires whatever the browser keeps.
//! The cookie carries a random key; the table stores only its SHA-256.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::{hash_password, verify_password};
use crate::catalog::{Actor, AppContext};
use crate::db::models::UserRow;
use crate::db::schema::{sessions, users};
use crate::db::{lower, now_text, DbConnection};
use crate::enums::ObjectState;
use crate::error::AppResult;

/// A session's expiry is pushed forward at most this often, so that a user reading page after
/// page does not turn every read into a write.
const EXTEND_EVERY_SECS: i64 = 60;

/// The active account with this login name or e-mail and password, as an actor; `None` for an
/// unknown account, a deactivated one and a wrong password alike, so that the caller cannot
/// tell them apart (no user enumeration). An unknown name costs one password hash too, so the
/// time taken does not tell either.
pub fn verify_credentials(
    ctx: &AppContext,
    login: &str,
    password: &str,
) -> AppResult<Option<Actor>> {
    let login = login.trim();
    if login.is_empty() || password.is_empty() {
        return Ok(None);
    }
    // Names are unique; e-mails are not required to be, so two accounts may share one.
    let candidates: Vec<UserRow> = ctx.db.read(|conn| {
        Ok(users::table
            .filter(
                users::name
                    .eq(login)
                    .or(lower(users::email).eq(login.to_lowercase())),
            )
            .filter(users::state.eq(ObjectState::Active))
            .order(users::created.asc())
            .limit(2)
            .select(UserRow::as_select())
            .load(conn)?)
    })?;
    if candidates.is_empty() {
        hash_password(ctx.password_cost, password)?;
        return Ok(None);
    }
    let Some(user) = candidates
        .into_iter()
        .find(|user| verify_password(&user.password_hash, password))
    else {
        return Ok(None);
    };
    let roles = ctx.db.read(|conn| super::site_roles_of(conn, &user.id))?;
    Ok(Some(Actor::user(&user, roles)))
}

/// The account a session names, if it is still active.
pub fn actor_for_user_id(ctx: &AppContext, user_id: &str) -> AppResult<Option<Actor>> {
    ctx.db.read(|conn| {
        let user: Option<UserRow> = users::table
            .find(user_id)
            .filter(users::state.eq(ObjectState::Active))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?;
        user.map(|user| Ok(Actor::user(&user, super::site_roles_of(conn, &user.id)?)))
            .transpose()
    })
}

fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The stored state of a live session; pushes its expiry `idle_secs` ahead (at most once a
/// minute). An expired or unknown key gives `None`.
pub fn session_load(ctx: &AppContext, key: &str, idle_secs: i64) -> AppResult<Option<String>> {
    let hash = key_hash(key);
    let now = now_secs();
    let found: Option<(String, i64)> = ctx.db.read(|conn| {
        Ok(sessions::table
            .find(&hash)
            .filter(sessions::expires_at.gt(now))
            .select((sessions::state, sessions::expires_at))
            .first(conn)
            .optional()?)
    })?;
    let Some((state, expires_at)) = found else {
        return Ok(None);
    };
    let wanted = now + idle_secs;
    if wanted - expires_at >= EXTEND_EVERY_SECS {
        ctx.db.write(|conn| {
            diesel::update(sessions::table.find(&hash))
                .set(sessions::expires_at.eq(wanted))
                .execute(conn)?;
            Ok(())
        })?;
    }
    Ok(Some(state))
}

/// Stores a new session (and sweeps expired ones: the index on `expires_at` makes that cheap).
pub fn session_save(
    ctx: &AppContext,
    key: &str,
    user_id: Option<&str>,
    state: &str,
    ttl_secs: i64,
) -> AppResult<()> {
    let now = now_secs();
    ctx.db.write(|conn| {
        diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::key_hash.eq(key_hash(key)),
                sessions::user_id.eq(user_id),
                sessions::state.eq(state),
                sessions::created.eq(now_text()),
                sessions::expires_at.eq(now + ttl_secs),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Replaces a live session's state; false when the session is gone (ended elsewhere).
pub fn session_update(
    ctx: &AppContext,
    key: &str,
    user_id: Option<&str>,
    state: &str,
    ttl_secs: i64,
) -> AppResult<bool> {
    let now = now_secs();
    let changed = ctx.db.write(|conn| {
        Ok(diesel::update(
            sessions::table
                .find(key_hash(key))
                .filter(sessions::expires_at.gt(now)),
        )
        .set((
            sessions::user_id.eq(user_id),
            sessions::state.eq(state),
            sessions::expires_at.eq(now + ttl_secs),
        ))
        .execute(conn)?)
    })?;
    Ok(changed > 0)
}

/// Ends one session.
pub fn session_delete(ctx: &AppContext, key: &str) -> AppResult<()> {
    ctx.db.write(|conn| {
        diesel::delete(sessions::table.find(key_hash(key))).execute(conn)?;
        Ok(())
    })
}

/// "Log out everywhere": ends every session of the user; returns how many.
pub fn sessions_end_for_user(ctx: &AppContext, user_id: &str) -> AppResult<usize> {
    ctx.db.write(|conn| end_all(conn, user_id))
}

/// Ends every session of a user inside a transaction of the caller (deactivation, a new
/// password).
pub(super) fn end_all(conn: &mut DbConnection, user_id: &str) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}
