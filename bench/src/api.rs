//! The CKAN Action API measurements: `package_show` latency and
//! `package_create` throughput, plus small helper calls.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::Value;

use crate::http::{Conn, Response};

/// The `result` of a successful CKAN envelope, or an error with the message.
pub fn ckan_result(resp: &Response) -> Result<Value> {
    let mut v = resp.json()?;
    if resp.status != 200 || v["success"] != true {
        bail!("HTTP {}: {}", resp.status, v["error"]);
    }
    Ok(v["result"].take())
}

/// `package_show` latency statistics.
#[derive(Debug)]
pub struct Latency {
    /// Requests sent.
    pub count: usize,
    /// Requests that did not return the requested dataset.
    pub errors: usize,
    /// First error seen, if any.
    pub first_error: Option<String>,
    /// Median.
    pub p50: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Mean.
    pub mean: Duration,
    /// Worst.
    pub max: Duration,
}

/// Sends `requests` `package_show` calls for random `names` over one
/// keep-alive connection, one at a time, timing each from the first byte
/// written to the last byte read.
pub fn show_latency(
    addr: SocketAddr,
    names: &[String],
    requests: usize,
    seed: u64,
) -> Result<Latency> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut conn = Conn::new(addr);
    let mut times = Vec::with_capacity(requests);
    let (mut errors, mut first_error) = (0, None);
    for _ in 0..requests {
        let name = names
            .choose(&mut rng)
            .ok_or_else(|| anyhow!("no dataset names"))?;
        let target = format!("/api/3/action/package_show?id={name}");
        let start = Instant::now();
        let sent = conn.get(&target);
        let elapsed = start.elapsed();
        // Checked outside the timed section: the client's JSON parsing is not
        // the server's latency. Failed exchanges are counted, not timed.
        let check = sent.and_then(|resp| {
            times.push(elapsed);
            let result = ckan_result(&resp)?;
            if result["name"] == name.as_str() {
                Ok(())
            } else {
                Err(anyhow!("asked for {name}, got {}", result["name"]))
            }
        });
        if let Err(e) = check {
            errors += 1;
            first_error.get_or_insert_with(|| format!("{e:#}"));
        }
    }
    if times.is_empty() {
        bail!(
            "no request got an answer: {}",
            first_error.unwrap_or_default()
        );
    }
    let total: Duration = times.iter().sum();
    times.sort_unstable();
    Ok(Latency {
        count: times.len(),
        errors,
        first_error,
        p50: percentile(&times, 0.50),
        p99: percentile(&times, 0.99),
        mean: total / times.len() as u32,
        max: times[times.len() - 1],
    })
}

/// Nearest-rank percentile of sorted, non-empty `sorted`.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Exercises the read paths a visitor uses (dataset pages and search) so the
/// idle-RSS figure is taken with caches, pools and index readers warm.
/// Returns the number of failed calls (search may not be implemented yet).
pub fn warm_up(addr: SocketAddr, names: &[String], shows: usize, seed: u64) -> Result<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut conn = Conn::new(addr);
    let mut failed = 0;
    for _ in 0..shows {
        let name = names
            .choose(&mut rng)
            .ok_or_else(|| anyhow!("no dataset names"))?;
        let resp = conn.get(&format!("/api/3/action/package_show?id={name}"))?;
        failed += usize::from(ckan_result(&resp).is_err());
    }
    // Plain-ASCII and accented queries, percent-encoded by hand.
    for q in [
        "dan+so",
        "d%C3%A2n+s%E1%BB%91",
        "dat+dai",
        "tuyen+dung",
        "y+te",
    ] {
        let resp = conn.get(&format!("/api/3/action/package_search?q={q}&rows=10"))?;
        failed += usize::from(ckan_result(&resp).is_err());
    }
    let resp = conn.get("/api/3/action/package_search?rows=0&facet.field=%5B%22organization%22%2C%22groups%22%2C%22res_format%22%5D")?;
    failed += usize::from(ckan_result(&resp).is_err());
    Ok(failed)
}

/// Datasets the search index reports (`package_search` with `rows=0`).
pub fn search_count(addr: SocketAddr) -> Result<u64> {
    let resp = Conn::new(addr).get("/api/3/action/package_search?rows=0")?;
    ckan_result(&resp)?["count"]
        .as_u64()
        .ok_or_else(|| anyhow!("package_search result has no count"))
}

/// Names of the groups (themes) that exist, via `group_list`.
pub fn group_names(addr: SocketAddr) -> Result<HashSet<String>> {
    let resp = Conn::new(addr).get("/api/3/action/group_list")?;
    let result = ckan_result(&resp).context("group_list")?;
    Ok(result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| {
            g.as_str()
                .or_else(|| g["name"].as_str())
                .map(str::to_string)
        })
        .collect())
}

/// Outcome of a batch of `package_create` calls.
#[derive(Debug)]
pub struct Creates {
    /// Datasets created.
    pub ok: usize,
    /// Calls that failed.
    pub failed: usize,
    /// First failure, if any.
    pub first_error: Option<String>,
    /// Wall time from the common start to the last client's finish.
    pub elapsed: Duration,
}

impl Creates {
    /// Created datasets per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Posts the `bodies` (serialised package dicts) to `package_create` from
/// `clients` threads, each with its own keep-alive connection, all starting
/// together.
pub fn create_datasets(
    addr: SocketAddr,
    token: &str,
    bodies: Vec<Vec<u8>>,
    clients: usize,
) -> Result<Creates> {
    let clients = clients.max(1);
    let mut shares: Vec<Vec<Vec<u8>>> = (0..clients).map(|_| Vec::new()).collect();
    for (i, body) in bodies.into_iter().enumerate() {
        shares[i % clients].push(body);
    }
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let barrier = Arc::clone(&barrier);
            let token = token.to_string();
            std::thread::spawn(move || create_share(addr, &token, share, &barrier))
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut total = Creates {
        ok: 0,
        failed: 0,
        first_error: None,
        elapsed: Duration::ZERO,
    };
    for handle in handles {
        let part = handle
            .join()
            .map_err(|_| anyhow!("a package_create client thread panicked"))??;
        total.ok += part.ok;
        total.failed += part.failed;
        if total.first_error.is_none() {
            total.first_error = part.first_error;
        }
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

/// One client's share of [`create_datasets`].
fn create_share(
    addr: SocketAddr,
    token: &str,
    bodies: Vec<Vec<u8>>,
    barrier: &Barrier,
) -> Result<Creates> {
    let mut conn = Conn::new(addr);
    // Open the connection before the clock starts.
    let opened = conn.get("/api/3/action/status_show");
    barrier.wait();
    opened?;
    let mut out = Creates {
        ok: 0,
        failed: 0,
        first_error: None,
        elapsed: Duration::ZERO,
    };
    for body in &bodies {
        // A transport failure counts as a failed create (the connection is
        // reopened by the next call) rather than ending this client's share.
        let result = conn
            .post_json("/api/3/action/package_create", Some(token), body)
            .and_then(|resp| ckan_result(&resp));
        match result {
            Ok(_) => out.ok += 1,
            Err(e) => {
                out.failed += 1;
                out.first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    Ok(out)
}
