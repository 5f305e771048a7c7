//! The session of the web pages: `actix-session` handles the cookie (encrypted and signed with
//! the key from `[auth] session_key`, HttpOnly, SameSite=Lax, Secure on an https site) and
//! renews the key at login; the state lives on the server in the `sessions` table (through
//! `catalog::users`), so that logging out, "log out everywhere" and idle expiry end a session
//! whatever its cookie says.
//!
//! CSRF tokens are written here by hand: the one actix-web 4 crate for it (`actix-csrf`) is a
//! double-submit-cookie middleware with few releases and maintainers, while a per-session token
//! kept in the server-side session is a few lines and needs no second cookie.

use std::collections::HashMap;

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Key, SameSite};
use actix_web::web;
use anyhow::{bail, Context};
use rand::RngCore;

use crate::catalog::{users, AppContext};
use crate::config::AuthSettings;
use crate::error::{AppError, AppResult, ErrorCode};

/// The cookie's name.
pub const COOKIE_NAME: &str = "dataportal_session";
/// The state key of the logged-in user's id.
pub const USER_ID: &str = "user_id";
/// The state key of the logged-in user's login name.
pub const USER_NAME: &str = "user_name";
/// The state key of the name shown in the header.
pub const DISPLAY_NAME: &str = "display_name";
/// The state key of the session's CSRF token.
pub const CSRF: &str = "csrf";
/// The header in which a script using the session (not a token) sends the CSRF token on API
/// writes (CKAN's name).
pub const CSRF_HEADER: &str = "X-CSRFToken";
/// The hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf_token";

/// The cookie key from the settings. Empty: a random key per start, refused in production;
/// a configured key must be 64 bytes or more and not one repeated pattern.
pub fn cookie_key(auth: &AuthSettings, env_name: &str) -> anyhow::Result<Key> {
    let configured = auth.session_key.trim();
    if configured.is_empty() {
        if env_name == "production" {
            bail!(
                "auth.session_key is not set: in production the session cookie needs a key of \
                 64 bytes or more (DATAPORTAL__AUTH__SESSION_KEY)"
            );
        }
        tracing::info!(
            "auth.session_key is empty: a random key for this run (sessions end at restart)"
        );
        return Ok(Key::generate());
    }
    if configured.len() < 64 {
        bail!(
            "auth.session_key is {} bytes long: it must be 64 bytes or more",
            configured.len()
        );
    }
    let mut distinct = configured.bytes().collect::<Vec<_>>();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 16 {
        bail!("auth.session_key is too regular: use random text (openssl rand -base64 64)");
    }
    Key::try_from(configured.as_bytes()).context("auth.session_key")
}

/// The session middleware over the database store.
pub fn middleware(
    ctx: AppContext,
    key: Key,
    auth: &AuthSettings,
    site_url: &str,
) -> SessionMiddleware<DbSessionStore> {
    let idle_secs = i64::try_from(auth.session_idle_minutes.saturating_mul(60))
        .unwrap_or(i64::MAX)
        .max(60);
    let store = DbSessionStore { ctx, idle_secs };
    SessionMiddleware::builder(store, key)
        .cookie_name(COOKIE_NAME.to_owned())
        .cookie_secure(site_url.starts_with("https://"))
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            // No Max-Age: the cookie ends with the browser; the server ends the session after
            // `session_idle_minutes` without a request (the store pushes the expiry on load).
            BrowserSession::default()
                .state_ttl(Duration::seconds(idle_secs))
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

/// Sessions in the `sessions` table.
#[derive(Clone)]
pub struct DbSessionStore {
    ctx: AppContext,
    idle_secs: i64,
}

type State = HashMap<String, String>;

fn user_of(state: &State) -> Option<String> {
    state
        .get(USER_ID)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
}

fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> anyhow::Result<T> {
    web::block(work)
        .await
        .map_err(|e| anyhow::anyhow!("session store thread: {e}"))?
        .map_err(|e| anyhow::anyhow!("session store: {e}"))
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let (ctx, key, idle) = (
            self.ctx.clone(),
            session_key.as_ref().to_owned(),
            self.idle_secs,
        );
        let stored = off_thread(move || users::session_load(&ctx, &key, idle))
            .await
            .map_err(LoadError::Other)?;
        stored
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let text = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key();
        let (ctx, stored_key, ttl) = (self.ctx.clone(), key.clone(), ttl.whole_seconds());
        off_thread(move || {
            users::session_save(&ctx, &stored_key, user_of(&state).as_deref(), &text, ttl)
        })
        .await
        .map_err(SaveError::Other)?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let text =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let (ctx, key, secs) = (
            self.ctx.clone(),
            session_key.as_ref().to_owned(),
            ttl.whole_seconds(),
        );
        let user = user_of(&state);
        let updated =
            off_thread(move || users::session_update(&ctx, &key, user.as_deref(), &text, secs))
                .await
                .map_err(UpdateError::Other)?;
        if updated {
            return Ok(session_key);
        }
        // Ended meanwhile (logged out elsewhere): a new session, never the old key revived.
        self.save(state, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(&self, _: &SessionKey, _: &Duration) -> Result<(), anyhow::Error> {
        // `load` pushes the expiry forward (at most once a minute).
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let (ctx, key) = (self.ctx.clone(), session_key.as_ref().to_owned());
        off_thread(move || users::session_delete(&ctx, &key)).await
    }
}

/// The logged-in user's id in the session, if any.
pub fn session_user_id(session: &Session) -> Option<String> {
    session.get::<String>(USER_ID).ok().flatten()
}

/// The session's CSRF token, made on first use.
pub fn csrf_token(session: &Session) -> AppResult<String> {
    if let Some(token) = session.get::<String>(CSRF).ok().flatten() {
        return Ok(token);
    }
    let token = new_key();
    session
        .insert(CSRF, &token)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("storing a CSRF token: {e}")))?;
    Ok(token)
}

/// Checks a CSRF token sent with a form or header against the session's; a missing session
/// token (expired session, no session) fails too.
pub fn check_csrf(session: &Session, given: Option<&str>) -> AppResult<()> {
    let expected = session.get::<String>(CSRF).ok().flatten();
    match (expected, given) {
        (Some(expected), Some(given)) if same(expected.as_bytes(), given.trim().as_bytes()) => {
            Ok(())
        }
        _ => Err(AppError::new(ErrorCode::CsrfFailed)),
    }
}

/// The login form's CSRF check, which needs no session: the form must come from a page of this
/// site, as the browser's `Origin` (or, without it, `Referer`) says, compared with the `Host`
/// asked for. A per-session token would need a session row for every visitor who merely opens
/// the login form, which a bot could use to fill the table (OWASP: verifying the origin with
/// standard headers). Browsers send `Origin` on every form POST.
pub fn check_same_origin(req: &actix_web::HttpRequest) -> AppResult<()> {
    use actix_web::http::header;
    let text = |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST);
    let from = text(header::ORIGIN)
        .or_else(|| text(header::REFERER))
        .and_then(|origin| url::Url::parse(origin).ok())
        .and_then(|url| {
            let name = url.host_str()?.to_owned();
            Some(match url.port() {
                Some(port) => format!("{name}:{port}"),
                None => name,
            })
        });
    match (host, from) {
        (Some(host), Some(from)) if host.eq_ignore_ascii_case(&from) => Ok(()),
        _ => Err(AppError::new(ErrorCode::CsrfFailed)),
    }
}

/// Compares in time independent of where the inputs differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(key: &str) -> AuthSettings {
        AuthSettings {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            session_key: key.to_owned(),
            session_idle_minutes: 720,
            login_attempts_per_account: 10,
            login_attempts_per_address: 30,
            login_lockout_minutes: 15,
        }
    }

    #[test]
    fn production_refuses_a_missing_or_weak_key() {
        assert!(cookie_key(&auth(""), "production").is_err());
        assert!(cookie_key(&auth("short-key"), "production").is_err());
        assert!(cookie_key(&auth(&"a".repeat(80)), "production").is_err());
        let good = "Zk3v9Qm2Lr8Tx4Wc7Bn1Hs6Jd0Fg5Ky2Pa8Ue3Io9Mq4Vt7Xb1Cz6Nw0Re5Sy2Lh8Gj3Dk9Fo4Ap7";
        assert!(cookie_key(&auth(good), "production").is_ok());
    }

    #[test]
    fn development_makes_a_key_per_start() {
        assert!(cookie_key(&auth(""), "local").is_ok());
        assert!(cookie_key(&auth(""), "test").is_ok());
        assert!(cookie_key(&auth("short-key"), "test").is_err());
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
