//! The measurements taken against a running server, each adding its figures
//! to the report. A failed measurement becomes an ERROR row and the run goes
//! on; only a dead server aborts it.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde_json::Value;

use crate::api;
use crate::report::{Report, Verdict};
use crate::rss::{self, mib};
use crate::run::thousands;
use crate::server::ServerProcess;
use crate::upload as up;
use crate::RunArgs;

/// Goal: idle server RSS at 100,000 datasets.
const IDLE_RSS_GOAL_MIB: f64 = 150.0;
/// Goal: median `package_show` latency.
const SHOW_P50_GOAL: Duration = Duration::from_millis(1);
/// Goal: RSS growth while a large file is uploaded.
const UPLOAD_GROWTH_GOAL_MIB: f64 = 32.0;
/// `package_show` calls before the idle-RSS reading.
const WARM_UP_SHOWS: usize = 2000;
/// Longest wait for the search index to catch up with the import.
const SEARCH_WAIT: Duration = Duration::from_secs(180);
/// Pause after the warm-up so the reading is of an idle server.
const SETTLE: Duration = Duration::from_secs(2);

/// What every measurement needs.
pub struct Context<'a> {
    /// Server address.
    pub addr: SocketAddr,
    /// Server process id.
    pub pid: u32,
    /// Sysadmin API token.
    pub token: &'a str,
    /// Names of the imported datasets.
    pub names: &'a [String],
    /// Command-line options.
    pub args: &'a RunArgs,
    /// Work directory.
    pub work: &'a Path,
}

impl Context<'_> {
    /// Whether the run is a small smoke test (lighter defaults).
    fn small(&self) -> bool {
        self.args.count < 10_000
    }
}

/// The search index's count, idle RSS after a warm-up, and `package_show`
/// latency.
pub fn idle_and_latency(
    ctx: &Context,
    report: &mut Report,
    server: &mut ServerProcess,
) -> Result<()> {
    search_complete(ctx, report);
    eprintln!("warming up ...");
    match api::warm_up(ctx.addr, ctx.names, WARM_UP_SHOWS, ctx.args.seed) {
        Ok(0) => {}
        Ok(n) => report.add(
            "warm-up calls",
            format!("{n} failed"),
            "all succeed",
            Verdict::Miss,
        ),
        Err(e) => report.error("warm-up", &e),
    }
    std::thread::sleep(SETTLE);
    server.ensure_running()?;
    let kib = rss::rss_kib(ctx.pid)?;
    report.add(
        &format!("idle RSS at {} datasets", thousands(ctx.args.count)),
        format!("{:.1} MiB", mib(kib)),
        &format!("≤ {IDLE_RSS_GOAL_MIB} MiB"),
        Verdict::of(mib(kib) <= IDLE_RSS_GOAL_MIB),
    );
    // Anonymous memory is the server's own; file pages are the mapped index, shared with
    // the page cache and given back under memory pressure.
    if let (Ok(anon), Ok(file)) = (
        rss::status_kib(ctx.pid, "RssAnon"),
        rss::status_kib(ctx.pid, "RssFile"),
    ) {
        report.info(
            "idle RSS: anonymous / mapped files",
            format!("{:.1} MiB / {:.1} MiB", mib(anon), mib(file)),
        );
    }
    // The most the server held since it started: a rebuild of the index at start shows here
    // (hundreds of MiB) even when the allocator has given it back by the idle reading.
    if let Ok(peak) = rss::status_kib(ctx.pid, "VmHWM") {
        report.info(
            "peak RSS since start (VmHWM)",
            format!("{:.1} MiB", mib(peak)),
        );
    }
    let requests = ctx
        .args
        .show_requests
        .unwrap_or(if ctx.small() { 5000 } else { 20_000 });
    eprintln!("timing {requests} package_show calls ...");
    match api::show_latency(ctx.addr, ctx.names, requests, ctx.args.seed.wrapping_add(1)) {
        Ok(l) => {
            report.add(
                &format!(
                    "package_show p50 ({} calls, 1 client)",
                    thousands(l.count as u64)
                ),
                ms(l.p50),
                "≤ 1 ms",
                Verdict::of(l.p50 <= SHOW_P50_GOAL),
            );
            report.info(
                "package_show p99 / mean / max",
                format!("{} / {} / {}", ms(l.p99), ms(l.mean), ms(l.max)),
            );
            if l.errors > 0 {
                let first = l.first_error.unwrap_or_default();
                report.add(
                    "package_show wrong answers",
                    format!("{} ({first})", l.errors),
                    "0",
                    Verdict::Miss,
                );
            }
        }
        Err(e) => report.error("package_show latency", &e),
    }
    server.ensure_running()
}

/// Waits (up to [`SEARCH_WAIT`]) until `package_search` counts every imported
/// dataset: the server may build its index in the background after start,
/// and the idle reading should not be taken in the middle of that.
fn search_complete(ctx: &Context, report: &mut Report) {
    let name = "package_search counts all datasets";
    let goal = format!("≥ {}", thousands(ctx.args.count));
    let start = Instant::now();
    loop {
        match api::search_count(ctx.addr) {
            Ok(n) if n >= ctx.args.count => {
                let value = format!(
                    "{} after {:.1} s",
                    thousands(n),
                    start.elapsed().as_secs_f64()
                );
                return report.add(name, value, &goal, Verdict::Pass);
            }
            Ok(n) if start.elapsed() > SEARCH_WAIT => {
                let value = format!("{} after {} s", thousands(n), SEARCH_WAIT.as_secs());
                return report.add(name, value, &goal, Verdict::Miss);
            }
            Err(e) if start.elapsed() > SEARCH_WAIT => return report.error(name, &e),
            _ => std::thread::sleep(Duration::from_millis(500)),
        }
    }
}

/// `package_create` throughput with one client, then with `--clients`.
pub fn creates(
    ctx: &Context,
    report: &mut Report,
    server: &mut ServerProcess,
    mut dicts: Vec<Value>,
    per_figure: usize,
) -> Result<()> {
    // The themes exist only if the server seeds them (migration or `demo`);
    // without them every create would fail on its groups, which is not what
    // this figure measures.
    match api::group_names(ctx.addr) {
        Ok(groups) => {
            let missing = strip_unknown_groups(&mut dicts, &groups);
            if !missing.is_empty() {
                let mut missing: Vec<_> = missing.into_iter().collect();
                missing.sort();
                report.info(
                    "themes missing on the server",
                    format!("{} (dropped from created datasets)", missing.join(", ")),
                );
            }
        }
        Err(e) => report.error("group_list", &e),
    }
    let bodies: Vec<Vec<u8>> = dicts
        .iter()
        .map(serde_json::to_vec)
        .collect::<Result<_, _>>()
        .context("serialising package dicts")?;
    let mut bodies = bodies.into_iter();
    for clients in [1, ctx.args.clients.max(1)] {
        let batch: Vec<Vec<u8>> = bodies.by_ref().take(per_figure).collect();
        eprintln!(
            "package_create x{} with {clients} client(s) ...",
            batch.len()
        );
        let name = format!(
            "package_create, {clients} client{}",
            if clients == 1 { "" } else { "s" }
        );
        match api::create_datasets(ctx.addr, ctx.token, batch, clients) {
            Ok(c) => {
                let mut value = format!(
                    "{:.0} datasets/s ({} in {:.1} s)",
                    c.rate(),
                    c.ok,
                    c.elapsed.as_secs_f64()
                );
                if c.failed > 0 {
                    value = format!(
                        "{value}; {} failed: {}",
                        c.failed,
                        c.first_error.unwrap_or_default()
                    );
                }
                report.add(&name, value, "all succeed", Verdict::of(c.failed == 0));
            }
            Err(e) => report.error(&name, &e),
        }
        server.ensure_running()?;
    }
    let kib = rss::rss_kib(ctx.pid)?;
    report.info(
        "RSS after the read and write load",
        format!("{:.1} MiB", mib(kib)),
    );
    Ok(())
}

/// Removes from each dict's `groups` the names the server does not know;
/// returns those names.
fn strip_unknown_groups(dicts: &mut [Value], known: &HashSet<String>) -> HashSet<String> {
    let mut missing = HashSet::new();
    for d in dicts {
        if let Some(groups) = d["groups"].as_array_mut() {
            groups.retain(|g| {
                let name = g["name"].as_str().unwrap_or_default();
                let ok = known.contains(name);
                if !ok {
                    missing.insert(name.to_string());
                }
                ok
            });
        }
    }
    missing
}

/// Streams the large file through `resource_create` and checks memory,
/// throughput and the stored size and hash.
pub fn upload(ctx: &Context, report: &mut Report, server: &mut ServerProcess) -> Result<()> {
    let size_mib = ctx.args.upload_size_mib;
    eprintln!("preparing the {size_mib} MiB upload file ...");
    let started = Instant::now();
    let file = up::prepare_file(ctx.work, size_mib, ctx.args.seed)?;
    eprintln!(
        "  ready in {:.1} s; uploading ...",
        started.elapsed().as_secs_f64()
    );
    let Some(package) = ctx.names.first() else {
        report.add(
            "upload",
            "no dataset to attach it to".into(),
            "",
            Verdict::Error,
        );
        return Ok(());
    };
    match up::upload(ctx.addr, ctx.pid, ctx.token, package, &file) {
        Ok(o) => {
            let growth = mib(o.peak_kib.saturating_sub(o.base_kib));
            let how = if o.exact_peak { "VmHWM + " } else { "" };
            report.add(
                &format!("RSS growth during a {size_mib} MiB upload"),
                format!(
                    "{growth:.1} MiB ({:.1} → {:.1} MiB; {how}{} samples at 50 ms)",
                    mib(o.base_kib),
                    mib(o.peak_kib),
                    o.samples
                ),
                &format!("≤ {UPLOAD_GROWTH_GOAL_MIB} MiB"),
                Verdict::of(growth <= UPLOAD_GROWTH_GOAL_MIB),
            );
            report.info(
                "upload throughput",
                format!(
                    "{:.0} MiB/s ({:.1} s)",
                    o.mib_per_s(file.size),
                    o.elapsed.as_secs_f64()
                ),
            );
            let (value, verdict) = match &o.verified {
                Ok(()) => (
                    format!("size {} and sha256 match", file.size),
                    Verdict::Pass,
                ),
                Err(e) => (format!("{e:#}"), Verdict::Miss),
            };
            report.add("uploaded resource size + hash", value, "match", verdict);
        }
        Err(e) => report.error("upload", &e),
    }
    server.ensure_running()
}

/// A duration in milliseconds, three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
