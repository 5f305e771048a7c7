//! The web pages as a browser meets them (browser headers, gzip): server time of the home,
//! search and dataset pages with one client, pages per second with `--search-clients`
//! clients over a mix of the three, and the weight of each page with its CSS and JS.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::http::{Conn, Response};
use crate::measure::{ms, Context};
use crate::report::{Report, Verdict};
use crate::run::thousands;
use crate::search::{encode, query_set, Filter, Stats};

const P50_GOAL: Duration = Duration::from_millis(5);
const P99_GOAL: Duration = Duration::from_millis(20);
const THROUGHPUT_GOAL: f64 = 1000.0;
/// Page weight before data downloads: the HTML and the CSS and JS it links, as sent.
const WEIGHT_GOAL_KB: f64 = 100.0;

/// The pages of one kind a visitor opens.
struct Kind {
    name: &'static str,
    targets: Vec<String>,
}

/// The three kinds: the home page, search pages (the search set typed into the box, with
/// a filter clicked where the set has one) and dataset pages of random imported names.
fn kinds(ctx: &Context) -> Vec<Kind> {
    let searches = query_set()
        .iter()
        .map(|q| {
            let mut t = format!("/dataset?q={}", encode(q.text));
            match &q.filter {
                Some(Filter::Organization(v)) => t.push_str(&format!("&organization={v}")),
                Some(Filter::Group(v)) => t.push_str(&format!("&groups={v}")),
                Some(Filter::Format(v)) => t.push_str(&format!("&res_format={v}")),
                None => {}
            }
            t
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(ctx.args.seed.wrapping_add(31));
    let datasets = (0..500)
        .filter_map(|_| ctx.names.choose(&mut rng))
        .map(|name| format!("/dataset/{name}"))
        .collect();
    vec![
        Kind {
            name: "home page",
            targets: vec!["/".to_owned()],
        },
        Kind {
            name: "search page",
            targets: searches,
        },
        Kind {
            name: "dataset page",
            targets: datasets,
        },
    ]
}

/// A page answered as a page: 200 and HTML.
fn is_page(resp: &Response) -> bool {
    resp.status == 200 && resp.body.starts_with(b"<!doctype html>")
}

/// Every page figure.
pub fn page_figures(ctx: &Context, report: &mut Report) {
    let kinds = kinds(ctx);
    let requests = if ctx.args.count < 10_000 { 300 } else { 1000 };
    for kind in &kinds {
        eprintln!("timing {requests} {}s, 1 client ...", kind.name);
        match latency(ctx, &kind.targets, requests) {
            Ok(stats) => {
                report.add(
                    &format!("{} p50 ({requests} pages, 1 client)", kind.name),
                    ms(stats.p50),
                    &format!("≤ {} ms", P50_GOAL.as_millis()),
                    Verdict::of(stats.p50 <= P50_GOAL),
                );
                report.add(
                    &format!("{} p99", kind.name),
                    ms(stats.p99),
                    &format!("≤ {} ms", P99_GOAL.as_millis()),
                    Verdict::of(stats.p99 <= P99_GOAL),
                );
            }
            Err(e) => report.error(&format!("{} latency", kind.name), &e),
        }
        match weight(ctx, &kind.targets[0]) {
            Ok((html, total, plain)) => report.add(
                &format!("{} weight (HTML + CSS + JS, gzip)", kind.name),
                format!("{total:.1} KB (HTML {html:.1} KB gzip, {plain:.1} KB plain)"),
                &format!("≤ {WEIGHT_GOAL_KB:.0} KB"),
                Verdict::of(total <= WEIGHT_GOAL_KB),
            ),
            Err(e) => report.error(&format!("{} weight", kind.name), &e),
        }
    }
    let all: Vec<String> = kinds.iter().flat_map(|k| k.targets.clone()).collect();
    let clients = ctx.args.search_clients.max(1);
    let secs = ctx.args.search_secs.max(1);
    eprintln!("pages throughput, {clients} clients for {secs} s ...");
    match throughput(ctx, Arc::new(all), clients, Duration::from_secs(secs)) {
        Ok((ok, failed, first_error, elapsed)) => {
            let rate = ok as f64 / elapsed.as_secs_f64().max(1e-9);
            let mut value = format!(
                "{rate:.0} pages/s ({} in {:.1} s)",
                thousands(ok as u64),
                elapsed.as_secs_f64()
            );
            if failed > 0 {
                value = format!(
                    "{value}; {failed} failed: {}",
                    first_error.unwrap_or_default()
                );
            }
            report.add(
                &format!("pages throughput (home, search, dataset), {clients} clients"),
                value,
                &format!("≥ {THROUGHPUT_GOAL:.0} pages/s, no failures"),
                Verdict::of(rate >= THROUGHPUT_GOAL && failed == 0),
            );
        }
        Err(e) => report.error("pages throughput", &e),
    }
}

/// One client, one keep-alive connection, `requests` random pages of the kind.
fn latency(ctx: &Context, targets: &[String], requests: usize) -> Result<Stats> {
    let mut rng = StdRng::seed_from_u64(ctx.args.seed.wrapping_add(37));
    let mut conn = Conn::new(ctx.addr);
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let target = targets
            .choose(&mut rng)
            .ok_or_else(|| anyhow!("no pages"))?;
        let start = Instant::now();
        let resp = conn.get(target)?;
        let elapsed = start.elapsed();
        if !is_page(&resp) {
            bail!("{target}: HTTP {}", resp.status);
        }
        times.push(elapsed);
    }
    Stats::of(&mut times).ok_or_else(|| anyhow!("no page answered"))
}

/// The page's weight as sent with what it links (`/static/…` CSS and JS): (HTML gzip KB,
/// total KB, HTML plain KB).
fn weight(ctx: &Context, target: &str) -> Result<(f64, f64, f64)> {
    let mut conn = Conn::new(ctx.addr);
    let page = conn.get(target)?;
    if !is_page(&page) {
        bail!("{target}: HTTP {}", page.status);
    }
    let html = String::from_utf8_lossy(&page.body).into_owned();
    let mut total = page.wire_len;
    for asset in html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/static/") && (s.ends_with(".css") || s.ends_with(".js")))
        .collect::<std::collections::BTreeSet<_>>()
    {
        let resp = conn.get(asset)?;
        if resp.status != 200 {
            bail!("{asset}: HTTP {}", resp.status);
        }
        total += resp.wire_len;
    }
    let kb = |n: usize| n as f64 / 1024.0;
    Ok((kb(page.wire_len), kb(total), kb(page.body.len())))
}

type Outcome = (usize, usize, Option<String>, Duration);

/// `clients` threads with a keep-alive connection each open random pages back to back.
fn throughput(
    ctx: &Context,
    targets: Arc<Vec<String>>,
    clients: usize,
    length: Duration,
) -> Result<Outcome> {
    let barrier = Arc::new(Barrier::new(clients + 1));
    let addr = ctx.addr;
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let targets = Arc::clone(&targets);
            let barrier = Arc::clone(&barrier);
            let seed = ctx.args.seed.wrapping_add(500 + i as u64);
            std::thread::spawn(move || -> Result<(usize, usize, Option<String>)> {
                let mut conn = Conn::new(addr);
                let mut rng = StdRng::seed_from_u64(seed);
                let opened = conn.get("/robots.txt");
                barrier.wait();
                opened?;
                let deadline = Instant::now() + length;
                let (mut ok, mut failed, mut first) = (0, 0, None);
                while Instant::now() < deadline {
                    let target = &targets[rng.gen_range(0..targets.len())];
                    match conn.get(target) {
                        Ok(resp) if is_page(&resp) => ok += 1,
                        Ok(resp) => {
                            failed += 1;
                            first.get_or_insert_with(|| format!("{target}: HTTP {}", resp.status));
                        }
                        Err(e) => {
                            failed += 1;
                            first.get_or_insert_with(|| format!("{e:#}"));
                        }
                    }
                }
                Ok((ok, failed, first))
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let (mut ok, mut failed, mut first) = (0, 0, None);
    for handle in handles {
        let (o, f, e) = handle
            .join()
            .map_err(|_| anyhow!("a page client thread panicked"))??;
        ok += o;
        failed += f;
        first = first.or(e);
    }
    Ok((ok, failed, first, start.elapsed()))
}
