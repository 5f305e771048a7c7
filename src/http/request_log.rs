//! One log line per request (method, path, status, milliseconds) inside a span that the
//! action's own span nests in, so an error logged by an action names the request it served.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing::Instrument;

/// Logs the request once it is answered. The query string is left out: it may carry what a
/// user searched for, which the log has no need to keep.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", method = %method, path = %path);
    let outcome = next.call(req).instrument(span.clone()).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match &outcome {
        Ok(reply) => tracing::info!(
            target: "request",
            status = reply.status().as_u16(),
            ms = format!("{ms:.2}"),
            "answered"
        ),
        Err(error) => tracing::warn!(
            target: "request",
            error = %error,
            ms = format!("{ms:.2}"),
            "failed"
        ),
    }
    outcome
}
