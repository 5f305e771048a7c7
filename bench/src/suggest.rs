//! Suggestion latency: what the search box asks while a visitor types, with and without
//! diacritics, for datasets, tags and organisations.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};

use crate::api::ckan_result;
use crate::http::Conn;
use crate::measure::{ms, Context};
use crate::report::{Report, Verdict};
use crate::search::{encode, Stats};

/// Goal: a suggestion within a few milliseconds, even at the 99th percentile.
const P99_GOAL: Duration = Duration::from_millis(5);

/// Timed requests per action (after one untimed round over the prefixes).
const REQUESTS: usize = 1000;

/// Unfinished words as typed, for `package_autocomplete`.
const TITLES: &[&str] = &[
    "gia d",
    "giá đ",
    "bang gia",
    "quy ho",
    "qui hoạ",
    "dan s",
    "dân s",
    "truong h",
    "doanh ng",
    "ngan s",
    "khu cong",
    "ban d",
    "ocop",
    "hoa th",
    "tay n",
    "thu tuc",
    "chuyen d",
];

/// Tag fragments, for `tag_autocomplete`.
const TAGS: &[&str] = &[
    "dat", "đất", "dan", "y t", "giao", "quy", "ngân", "ocop", "thue",
];

/// Organisation fragments, for `organization_autocomplete`.
const ORGS: &[&str] = &["so", "sở t", "cuc", "so giao", "ubnd", "xay", "tai ch"];

/// Times `package_autocomplete`, `tag_autocomplete` and `organization_autocomplete`.
pub fn suggestion_figures(ctx: &Context, report: &mut Report) {
    for (action, param, set) in [
        ("package_autocomplete", "q", TITLES),
        ("tag_autocomplete", "query", TAGS),
        ("organization_autocomplete", "q", ORGS),
    ] {
        eprintln!("timing {REQUESTS} {action} calls ...");
        match latency(ctx, action, param, set) {
            Ok((stats, empty)) => {
                let mut value = format!("{} / {}", ms(stats.p50), ms(stats.p99));
                if empty > 0 {
                    value.push_str(&format!(
                        " ({empty} of {} prefixes found nothing)",
                        set.len()
                    ));
                }
                report.add(
                    &format!("{action} p50 / p99"),
                    value,
                    &format!("p99 ≤ {}", ms(P99_GOAL)),
                    Verdict::of(stats.p99 <= P99_GOAL),
                );
            }
            Err(e) => report.error(action, &e),
        }
    }
}

/// Latency over the prefixes, and how many prefixes had no suggestion.
fn latency(ctx: &Context, action: &str, param: &str, set: &[&str]) -> Result<(Stats, usize)> {
    let targets: Vec<String> = set
        .iter()
        .map(|p| format!("/api/3/action/{action}?{param}={}&limit=10", encode(p)))
        .collect();
    let mut conn = Conn::new(ctx.addr);
    let mut empty = 0;
    for target in &targets {
        let result = ckan_result(&conn.get(target)?)?;
        if result.as_array().is_none_or(|a| a.is_empty()) {
            empty += 1;
        }
    }
    let mut times = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        let start = Instant::now();
        let response = conn.get(&targets[i % targets.len()])?;
        times.push(start.elapsed());
        ckan_result(&response)?;
    }
    let stats = Stats::of(&mut times).ok_or_else(|| anyhow!("no answer"))?;
    Ok((stats, empty))
}
