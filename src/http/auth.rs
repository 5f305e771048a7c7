//! Who is calling: the raw API token in `Authorization` (CKAN style) or `Bearer <token>`;
//! the web issue adds the session cookie here, and every handler keeps taking a [`Caller`].

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use crate::catalog::{users, Actor, AppContext};
use crate::error::{AppError, AppResult, Forbidden};

/// The actor behind a request; a token that is sent but unknown or revoked is an error, so a
/// script with a stale token fails loudly instead of silently acting anonymously.
pub async fn actor_of(ctx: &web::Data<AppContext>, req: &HttpRequest) -> AppResult<Actor> {
    let header = req
        .headers()
        .get("Authorization")
        .or_else(|| req.headers().get("X-CKAN-API-Key"));
    let Some(header) = header else {
        return Ok(Actor::anonymous());
    };
    // Tokens are ASCII. A header that is not is a credential we cannot read, not an absent
    // one: acting anonymously on it would hide a broken client (or a probe) behind a 200.
    let raw = header
        .to_str()
        .map_err(|_| AppError::forbidden(Forbidden::UnreadableToken))?
        .trim();
    let token = raw.strip_prefix("Bearer ").unwrap_or(raw).trim().to_owned();
    if token.is_empty() {
        return Ok(Actor::anonymous());
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
