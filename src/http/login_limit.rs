//! Login attempts per account and per client address (issue 10), with `governor` as the API's
//! limit: each attempt, right or wrong, takes one of a burst of attempts that refills over
//! `login_lockout_minutes`. Counting right ones too keeps the check before the password is
//! verified (`governor` cannot look without taking), so a locked account costs no argon2 hash;
//! a person logs in a few times a day at most.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use actix_web::HttpRequest;
use anyhow::Context;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::rate_limit::client_address;
use crate::config::{AuthSettings, RateLimitSettings};
use crate::error::{AppError, AppResult, ErrorCode};

/// Checks between two sweeps of idle keys (as the API's limiter does).
const SWEEP_EVERY: u32 = 1024;

/// The two limiters shared by every worker.
pub struct LoginRateLimit {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<std::net::IpAddr>,
    trust_forwarded_for: bool,
    checks: AtomicU32,
}

fn quota(attempts: u32, minutes: u64, what: &str) -> anyhow::Result<Quota> {
    let burst =
        NonZeroU32::new(attempts).with_context(|| format!("auth.{what} must be above 0"))?;
    let refill = Duration::from_secs(minutes.max(1) * 60) / burst.get();
    Quota::with_period(refill)
        .map(|q| q.allow_burst(burst))
        .context("auth.login_lockout_minutes must be above 0")
}

impl LoginRateLimit {
    /// The limiters from the `[auth]` settings (the address as `[rate_limit]` says to read it).
    pub fn new(auth: &AuthSettings, rate: &RateLimitSettings) -> anyhow::Result<LoginRateLimit> {
        Ok(LoginRateLimit {
            accounts: RateLimiter::keyed(quota(
                auth.login_attempts_per_account,
                auth.login_lockout_minutes,
                "login_attempts_per_account",
            )?),
            addresses: RateLimiter::keyed(quota(
                auth.login_attempts_per_address,
                auth.login_lockout_minutes,
                "login_attempts_per_address",
            )?),
            trust_forwarded_for: rate.trust_forwarded_for,
            checks: AtomicU32::new(0),
        })
    }

    /// Counts one attempt at `login` from the request's address; refused with
    /// `login_rate_limited` (429) when either is over its allowance. The account is keyed on
    /// the name as typed, lowercased, so unknown names are held to the same pace as real ones.
    pub fn check(&self, req: &HttpRequest, login: &str) -> AppResult<()> {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            self.accounts.retain_recent();
            self.addresses.retain_recent();
        }
        let address = client_address(req, self.trust_forwarded_for);
        let account = login.trim().to_lowercase();
        let refused = self
            .addresses
            .check_key(&address)
            .err()
            .map(|n| n.wait_time_from(self.addresses.clock().now()))
            .or_else(|| {
                self.accounts
                    .check_key(&account)
                    .err()
                    .map(|n| n.wait_time_from(self.accounts.clock().now()))
            });
        match refused {
            None => Ok(()),
            Some(wait) => {
                let seconds = wait.as_secs().max(1);
                Err(AppError::new(ErrorCode::LoginRateLimited)
                    .arg("minutes", seconds.div_ceil(60))
                    .retry_after(seconds))
            }
        }
    }
}
