//! Who is calling: the raw API token in `Authorization` (CKAN style) or `Bearer <token>`,
//! then the session cookie of the web pages; every handler takes a [`Caller`].

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{web, FromRequest, HttpRequest};

use crate::catalog::{users, Actor, AppContext};
use crate::error::{AppError, AppResult, Forbidden};
use crate::http::session;

/// The actor behind a request; a token that is sent but unknown or revoked is an error, so a
/// script with a stale token fails loudly instead of silently acting anonymously.
pub async fn actor_of(ctx: &web::Data<AppContext>, req: &HttpRequest) -> AppResult<Actor> {
    let header = req
        .headers()
        .get("Authorization")
        .or_else(|| req.headers().get("X-CKAN-API-Key"));
    let Some(header) = header else {
        return session_actor(ctx, req).await;
    };
    // Tokens are ASCII. A header that is not is a credential we cannot read, not an absent
    // one: acting anonymously on it would hide a broken client (or a probe) behind a 200.
    let raw = header
        .to_str()
        .map_err(|_| AppError::forbidden(Forbidden::UnreadableToken))?
        .trim();
    let token = raw.strip_prefix("Bearer ").unwrap_or(raw).trim().to_owned();
    if token.is_empty() {
        return session_actor(ctx, req).await;
    }
    let ctx = ctx.clone();
    let found = web::block(move || users::actor_for_token(&ctx, &token))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("token lookup thread: {e}")))??;
    found.ok_or_else(|| AppError::forbidden(Forbidden::InvalidToken))
}

/// The caller of a request, as an extractor. Extraction itself never fails: an unknown token
/// is kept as the error it is, so the handler can count the call against the rate limit
/// before answering it in its own envelope (JSON for the API, HTML for pages).
pub struct Caller(pub AppResult<Actor>);

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(ctx) = req.app_data::<web::Data<AppContext>>().cloned() else {
                return Ok(Caller(Err(AppError::Internal(anyhow::anyhow!(
                    "the application context is not registered"
                )))));
            };
            Ok(Caller(actor_of(&ctx, &req).await))
        })
    }
}

/// The user logged in through the session cookie, or anonymous. A session whose account has
/// been deactivated meanwhile is ended. A script that writes through the API with the session
/// (not a token) sends the session's CSRF token in `X-CSRFToken`, as in CKAN: SameSite=Lax
/// already keeps the cookie off other sites' POSTs, and this keeps it off them in old browsers.
async fn session_actor(ctx: &web::Data<AppContext>, req: &HttpRequest) -> AppResult<Actor> {
    let session = req.get_session();
    let Some(user_id) = session::session_user_id(&session) else {
        return Ok(Actor::anonymous());
    };
    let ctx = ctx.clone();
    let found = web::block(move || users::actor_for_user_id(&ctx, &user_id))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session lookup thread: {e}")))??;
    let Some(actor) = found else {
        session.purge();
        return Ok(Actor::anonymous());
    };
    let safe = matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    if !safe && req.path().starts_with("/api/") {
        let given = req
            .headers()
            .get(session::CSRF_HEADER)
            .and_then(|v| v.to_str().ok());
        session::check_csrf(&session, given)?;
    }
    Ok(actor)
}
