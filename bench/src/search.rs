//! The search benchmark: `package_search` over HTTP with a realistic mixed
//! Vietnamese query set (with and without diacritics, departments, communes,
//! `fq` filters), 3 facet fields and `rows=10`; throughput with many clients;
//! deep paging; the index size on disk; `dataportal reindex` time; and the same
//! queries on PostgreSQL full-text search ([`crate::pgfts`]) for comparison.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::api::{ckan_result, percentile};
use crate::http::Conn;
use crate::measure::{ms, Context};
use crate::pgfts;
use crate::report::{Report, Verdict};
use crate::run::thousands;
use crate::server::{ServerCli, ServerProcess};

/// Goal: median `package_search` latency, one client.
const P50_GOAL: Duration = Duration::from_millis(3);
/// Goal: 99th-percentile `package_search` latency, one client.
const P99_GOAL: Duration = Duration::from_millis(15);
/// Goal: requests per second with `--search-clients` clients.
const THROUGHPUT_GOAL: f64 = 2000.0;
/// Goal: one deep page (`rows=1000`).
const DEEP_PAGE_GOAL: Duration = Duration::from_millis(100);
/// Goal: size of DATA_DIR/search-index, MB (10^6 bytes).
const INDEX_SIZE_GOAL_MB: f64 = 200.0;
/// Goal: `dataportal reindex` seconds per 100,000 datasets.
const REINDEX_GOAL_SECS: f64 = 30.0;
/// Goal: how many times faster than PostgreSQL full-text search, p50 and p99.
const PG_RATIO_GOAL: f64 = 10.0;
/// Rows per page everywhere but deep paging.
const ROWS: usize = 10;
/// The facet fields of every request.
pub const FACETS: [&str; 3] = ["organization", "groups", "res_format"];
/// Deep paging: offset (at 100,000 datasets) and page size.
const DEEP_START: u64 = 17_000;
const DEEP_ROWS: u64 = 1000;
/// Timed deep-page requests (after one untimed).
const DEEP_REQUESTS: usize = 10;

/// A filter of a query (CKAN `fq`), on one of the facet fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `organization:<slug>`.
    Organization(&'static str),
    /// `groups:<slug>`.
    Group(&'static str),
    /// `res_format:<FORMAT>`.
    Format(&'static str),
}

impl Filter {
    /// The CKAN `fq` text.
    pub fn fq(&self) -> String {
        match self {
            Filter::Organization(v) => format!("organization:{v}"),
            Filter::Group(v) => format!("groups:{v}"),
            Filter::Format(v) => format!("res_format:{v}"),
        }
    }
}

/// One query of the set: free text (empty: all datasets) and an optional filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What a visitor types, as typed.
    pub text: &'static str,
    /// A facet filter the visitor clicked.
    pub filter: Option<Filter>,
}

/// Free text typed into the search box, as visitors type it: with diacritics,
/// without them (many keyboards and phones), department and commune names,
/// acronyms, years, and a few typos (which make the server retry fuzzily).
const TEXTS: &[&str] = &[
    // Topics, with diacritics.
    "giá đất",
    "bảng giá đất năm 2024",
    "dân số",
    "dân số năm 2023",
    "quy hoạch",
    "quy hoạch sử dụng đất",
    "trường học",
    "doanh nghiệp",
    "ngân sách",
    "khu công nghiệp",
    "thủ tục hành chính",
    "chuyển đổi số",
    "an toàn thực phẩm",
    "lao động việc làm",
    "y tế",
    "đất đai",
    "tuyển dụng",
    "bản đồ",
    // The same without diacritics.
    "gia dat",
    "bang gia dat",
    "dan so",
    "quy hoach",
    "truong hoc",
    "doanh nghiep",
    "ngan sach",
    "khu cong nghiep",
    "thu tuc hanh chinh",
    "chuyen doi so",
    "dat dai",
    // Departments.
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Cục Thống kê",
    "so tai chinh",
    "so xay dung",
    // Communes and wards.
    "Hòa Thành",
    "hoa thanh",
    "xã Đức Hòa",
    "Gò Dầu",
    "phường Khánh Hậu",
    "ben cau",
    // Acronyms and the like.
    "OCOP",
    "GIS",
    "SIPAS",
    "năm 2025",
    // Typos.
    "quy hoac",
    "truong hocc",
];

/// Text plus filter, the way a visitor narrows a search by clicking a facet.
const FILTERED: &[(&str, Filter)] = &[
    ("", Filter::Organization("so-tai-chinh")),
    ("", Filter::Format("CSV")),
    ("", Filter::Group("y-te")),
    ("giá đất", Filter::Format("CSV")),
    ("dân số", Filter::Organization("cuc-thong-ke-tinh")),
    ("trường học", Filter::Organization("so-giao-duc-va-dao-tao")),
    ("doanh nghiep", Filter::Group("kinh-te-thuong-mai")),
    ("bản đồ", Filter::Format("GeoJSON")),
    ("quy hoach", Filter::Organization("so-xay-dung")),
    ("ngân sách", Filter::Format("XLSX")),
];

/// The query set: every text alone, the filtered ones, and the catalogue
/// page itself (`*:*` with facets).
pub fn query_set() -> Vec<SearchQuery> {
    let mut set: Vec<SearchQuery> = TEXTS
        .iter()
        .map(|&text| SearchQuery { text, filter: None })
        .collect();
    set.extend(FILTERED.iter().map(|(text, filter)| SearchQuery {
        text,
        filter: Some(filter.clone()),
    }));
    set.push(SearchQuery {
        text: "",
        filter: None,
    });
    set
}

/// `n` indexes into a set of `len` queries, uniformly at random; the same
/// seed gives the same sequence (so both engines answer the same requests).
pub fn request_sequence(len: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.gen_range(0..len.max(1))).collect()
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters
/// pass; everything else, UTF-8 byte by byte).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `package_search` request target for a query.
pub fn target(query: &SearchQuery, rows: u64, start: u64, facets: bool) -> String {
    let q = if query.text.is_empty() {
        "*:*"
    } else {
        query.text
    };
    let mut t = format!("/api/3/action/package_search?q={}&rows={rows}", encode(q));
    if start > 0 {
        t.push_str(&format!("&start={start}"));
    }
    if let Some(filter) = &query.filter {
        t.push_str(&format!("&fq={}", encode(&filter.fq())));
    }
    if facets {
        let list = serde_json::to_string(&FACETS).unwrap_or_default();
        t.push_str(&format!("&facet.field={}", encode(&list)));
    }
    t
}

/// Latency statistics of a sorted, non-empty sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Mean.
    pub mean: Duration,
    /// Worst.
    pub max: Duration,
}

impl Stats {
    /// Statistics of `times` (sorted here); `None` when empty.
    pub fn of(times: &mut [Duration]) -> Option<Stats> {
        if times.is_empty() {
            return None;
        }
        times.sort_unstable();
        let total: Duration = times.iter().sum();
        Some(Stats {
            count: times.len(),
            p50: percentile(times, 0.50),
            p99: percentile(times, 0.99),
            mean: total / times.len() as u32,
            max: times[times.len() - 1],
        })
    }
}

/// Whether a CKAN envelope says `"success": true`, without parsing the body
/// (for the throughput loop, where parsing would cost the clients CPU the
/// server needs).
pub fn envelope_ok(body: &[u8]) -> bool {
    let key = b"\"success\"";
    let Some(at) = body.windows(key.len()).position(|w| w == key) else {
        return false;
    };
    let rest = &body[at + key.len()..];
    let rest = match rest.iter().position(|b| !matches!(b, b' ' | b':' | b'\n')) {
        Some(i) => &rest[i..],
        None => return false,
    };
    rest.starts_with(b"true")
}

/// What the single-client run found, for the PostgreSQL comparison.
pub struct Ours {
    /// Latency over the request sequence.
    pub stats: Option<Stats>,
    /// Matches per query of the set (`count`), in set order.
    pub counts: Vec<u64>,
}

/// Requests in the single-client run.
fn requests(ctx: &Context) -> usize {
    ctx.args
        .search_requests
        .unwrap_or(if ctx.args.count < 10_000 { 2000 } else { 5000 })
}

/// The HTTP figures: single-client latency, throughput, deep paging and index
/// size. Returns what the PostgreSQL comparison needs.
pub fn http_figures(ctx: &Context, report: &mut Report, server: &mut ServerProcess) -> Ours {
    let set = query_set();
    eprintln!("package_search: warming up over {} queries ...", set.len());
    let counts = match counts_of(ctx.addr, &set) {
        Ok(c) => c,
        Err(e) => {
            report.error("package_search over the query set", &e);
            Vec::new()
        }
    };
    let stats = latency_and_throughput(ctx, report, server, "package_search", true);
    if server.ensure_running().is_err() {
        return Ours { stats, counts };
    }
    deep_paging(ctx, report);
    index_size(ctx, report);
    Ours { stats, counts }
}

/// The search engine without its result cache: the server is restarted with
/// `search.cache_entries = 0` (after every other figure, so none of them is
/// taken on that configuration) and the same single-client and many-client runs
/// are timed again, labelled "uncached".
pub fn uncached_figures(
    cli: &ServerCli,
    report: &mut Report,
    ctx: &mut Context,
    server: ServerProcess,
    log: &Path,
    ready_timeout: Duration,
) -> Result<ServerProcess> {
    let addr = server.addr;
    server.stop().ok();
    eprintln!("restarting the server without its search result cache ...");
    let uncached = cli.with_env("DATAPORTAL__SEARCH__CACHE_ENTRIES", "0");
    let mut server = uncached.spawn_serve(addr, log)?;
    server.wait_ready(ready_timeout)?;
    ctx.pid = server.pid();
    if let Err(e) = counts_of(ctx.addr, &query_set()) {
        report.error("package_search uncached, over the query set", &e);
    }
    // Informational throughput: without the cache the 16-client goal is known not to be
    // met on 2 cores (README), and the run's verdict is about the server as configured.
    latency_and_throughput(ctx, report, &mut server, "package_search uncached", false);
    Ok(server)
}

/// Single-client latency over the seeded request sequence, then throughput with
/// `--search-clients` clients; rows are named after `what`, the throughput
/// judged against its goal when `throughput_goal`.
fn latency_and_throughput(
    ctx: &Context,
    report: &mut Report,
    server: &mut ServerProcess,
    what: &str,
    throughput_goal: bool,
) -> Option<Stats> {
    let set = query_set();
    let n = requests(ctx);
    eprintln!("timing {n} {what} calls, 1 client ...");
    let seq = request_sequence(set.len(), n, ctx.args.seed.wrapping_add(7));
    let stats = match single_client(ctx.addr, &set, &seq) {
        Ok((stats, errors)) => {
            latency_rows(report, what, &stats, errors);
            Some(stats)
        }
        Err(e) => {
            report.error(&format!("{what} latency"), &e);
            None
        }
    };
    if server.ensure_running().is_err() {
        return stats;
    }
    let clients = ctx.args.search_clients.max(1);
    let secs = ctx.args.search_secs.max(1);
    eprintln!("{what} throughput, {clients} clients for {secs} s ...");
    match throughput(
        ctx.addr,
        &set,
        clients,
        Duration::from_secs(secs),
        ctx.args.seed,
    ) {
        Ok(t) => {
            let mut value = format!(
                "{:.0} req/s ({} in {:.1} s)",
                t.rate(),
                thousands(t.ok as u64),
                t.elapsed.as_secs_f64()
            );
            if t.failed > 0 {
                value = format!(
                    "{value}; {} failed: {}",
                    t.failed,
                    t.first_error.clone().unwrap_or_default()
                );
            }
            let name = format!("{what} throughput, {clients} clients");
            if throughput_goal {
                report.add(
                    &name,
                    value,
                    &format!("≥ {THROUGHPUT_GOAL:.0} req/s, no failures"),
                    Verdict::of(t.rate() >= THROUGHPUT_GOAL && t.failed == 0),
                );
            } else {
                report.info(&name, value);
            }
            if let Some(s) = t.stats {
                report.info(
                    &format!("{what} p50 / p99 under {clients} clients"),
                    format!("{} / {}", ms(s.p50), ms(s.p99)),
                );
            }
        }
        Err(e) => report.error(&format!("{what} throughput"), &e),
    }
    stats
}

/// p50 (with goal), p99 (with goal) and mean/max rows for a latency sample.
fn latency_rows(report: &mut Report, what: &str, s: &Stats, errors: (usize, Option<String>)) {
    let calls = format!("{} calls, 1 client", thousands(s.count as u64));
    report.add(
        &format!("{what} p50 ({calls})"),
        ms(s.p50),
        &format!("≤ {} ms", P50_GOAL.as_millis()),
        Verdict::of(s.p50 <= P50_GOAL),
    );
    report.add(
        &format!("{what} p99"),
        ms(s.p99),
        &format!("≤ {} ms", P99_GOAL.as_millis()),
        Verdict::of(s.p99 <= P99_GOAL),
    );
    report.info(
        &format!("{what} mean / max"),
        format!("{} / {}", ms(s.mean), ms(s.max)),
    );
    if errors.0 > 0 {
        report.add(
            &format!("{what} wrong answers"),
            format!("{} ({})", errors.0, errors.1.unwrap_or_default()),
            "0",
            Verdict::Miss,
        );
    }
}

/// Sends every query once (warm-up) and returns each one's `count`.
fn counts_of(addr: SocketAddr, set: &[SearchQuery]) -> Result<Vec<u64>> {
    let mut conn = Conn::new(addr);
    set.iter()
        .map(|q| {
            let resp = conn.get(&target(q, ROWS as u64, 0, true))?;
            let result = ckan_result(&resp).with_context(|| format!("query {q:?}"))?;
            result["count"]
                .as_u64()
                .ok_or_else(|| anyhow!("query {q:?}: no count in the result"))
        })
        .collect()
}

/// Times `seq` over one keep-alive connection, one request at a time, from
/// the first byte written to the last byte read. Answers are checked after
/// the clock stops (a CKAN result with a count, at most `rows` results and the
/// three facets). Returns the statistics and the wrong answers.
fn single_client(
    addr: SocketAddr,
    set: &[SearchQuery],
    seq: &[usize],
) -> Result<(Stats, (usize, Option<String>))> {
    let targets: Vec<String> = set
        .iter()
        .map(|q| target(q, ROWS as u64, 0, true))
        .collect();
    let mut conn = Conn::new(addr);
    let mut times = Vec::with_capacity(seq.len());
    let (mut errors, mut first_error) = (0, None);
    for &i in seq {
        let start = Instant::now();
        let sent = conn.get(&targets[i]);
        let elapsed = start.elapsed();
        let check = sent.and_then(|resp| {
            times.push(elapsed);
            check_page(&ckan_result(&resp)?, ROWS)
        });
        if let Err(e) = check {
            errors += 1;
            first_error.get_or_insert_with(|| format!("{:?}: {e:#}", set[i].text));
        }
    }
    let stats = Stats::of(&mut times)
        .ok_or_else(|| anyhow!("no answer: {}", first_error.clone().unwrap_or_default()))?;
    Ok((stats, (errors, first_error)))
}

/// A search result has a count, at most `rows` results and the facets asked for.
fn check_page(result: &serde_json::Value, rows: usize) -> Result<()> {
    let count = result["count"]
        .as_u64()
        .ok_or_else(|| anyhow!("no count"))?;
    let got = result["results"]
        .as_array()
        .ok_or_else(|| anyhow!("no results list"))?
        .len();
    if got > rows || (got as u64) > count {
        bail!("{got} results for rows={rows}, count={count}");
    }
    for f in FACETS {
        if result["search_facets"][f].is_null() && result["facets"][f].is_null() {
            bail!("facet {f} missing");
        }
    }
    Ok(())
}

/// Outcome of the throughput run.
struct Throughput {
    ok: usize,
    failed: usize,
    first_error: Option<String>,
    elapsed: Duration,
    stats: Option<Stats>,
}

impl Throughput {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// `clients` threads, each with its own keep-alive connection, send random
/// queries of the set back to back for `length`, all starting together.
fn throughput(
    addr: SocketAddr,
    set: &[SearchQuery],
    clients: usize,
    length: Duration,
    seed: u64,
) -> Result<Throughput> {
    let targets: Arc<Vec<String>> = Arc::new(
        set.iter()
            .map(|q| target(q, ROWS as u64, 0, true))
            .collect(),
    );
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let targets = Arc::clone(&targets);
            let barrier = Arc::clone(&barrier);
            let seed = seed.wrapping_add(100 + i as u64);
            std::thread::spawn(move || client_loop(addr, &targets, length, seed, &barrier))
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut out = Throughput {
        ok: 0,
        failed: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        stats: None,
    };
    let mut times = Vec::new();
    for handle in handles {
        let (ok, failed, first_error, mut t) = handle
            .join()
            .map_err(|_| anyhow!("a search client thread panicked"))??;
        out.ok += ok;
        out.failed += failed;
        if out.first_error.is_none() {
            out.first_error = first_error;
        }
        times.append(&mut t);
    }
    out.elapsed = start.elapsed();
    out.stats = Stats::of(&mut times);
    Ok(out)
}

type ClientOutcome = (usize, usize, Option<String>, Vec<Duration>);

/// One client of [`throughput`].
fn client_loop(
    addr: SocketAddr,
    targets: &[String],
    length: Duration,
    seed: u64,
    barrier: &Barrier,
) -> Result<ClientOutcome> {
    let mut conn = Conn::new(addr);
    let mut rng = StdRng::seed_from_u64(seed);
    // Open the connection before the clock starts.
    let opened = conn.get("/api/3/action/status_show");
    barrier.wait();
    opened?;
    let deadline = Instant::now() + length;
    let (mut ok, mut failed, mut first_error) = (0, 0, None);
    let mut times = Vec::new();
    while Instant::now() < deadline {
        let t = &targets[rng.gen_range(0..targets.len())];
        let start = Instant::now();
        match conn.get(t) {
            Ok(resp) if resp.status == 200 && envelope_ok(&resp.body) => {
                times.push(start.elapsed());
                ok += 1;
            }
            Ok(resp) => {
                failed += 1;
                first_error.get_or_insert_with(|| {
                    format!(
                        "HTTP {}: {}",
                        resp.status,
                        String::from_utf8_lossy(&resp.body[..resp.body.len().min(200)])
                    )
                });
            }
            Err(e) => {
                failed += 1;
                first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    Ok((ok, failed, first_error, times))
}

/// The offset of the deep page: 17,000 at 100,000 datasets, and at most
/// `count - rows` on smaller catalogues so the page is full.
pub fn deep_start(count: u64) -> u64 {
    DEEP_START.min(count.saturating_sub(DEEP_ROWS))
}

/// `q=*:*&start=17000&rows=1000`, one untimed request then [`DEEP_REQUESTS`].
fn deep_paging(ctx: &Context, report: &mut Report) {
    let start = deep_start(ctx.args.count);
    let all = SearchQuery {
        text: "",
        filter: None,
    };
    let t = target(&all, DEEP_ROWS, start, false);
    let name = format!("deep page start={start} rows={DEEP_ROWS} (median of {DEEP_REQUESTS})");
    eprintln!("deep paging ...");
    let run = || -> Result<(Stats, usize)> {
        let mut conn = Conn::new(ctx.addr);
        let first = conn.get(&t)?;
        let result = ckan_result(&first)?;
        let got = result["results"].as_array().map_or(0, Vec::len);
        let want = DEEP_ROWS.min(ctx.args.count.saturating_sub(start)) as usize;
        if got != want {
            bail!("{got} results, expected {want}");
        }
        let mut times = Vec::with_capacity(DEEP_REQUESTS);
        for _ in 0..DEEP_REQUESTS {
            let s = Instant::now();
            let resp = conn.get(&t)?;
            times.push(s.elapsed());
            if resp.status != 200 {
                bail!("HTTP {}", resp.status);
            }
        }
        let stats = Stats::of(&mut times).ok_or_else(|| anyhow!("no samples"))?;
        Ok((stats, first.body.len()))
    };
    match run() {
        Ok((s, bytes)) => report.add(
            &name,
            format!(
                "{} (max {}; {:.1} MB body)",
                ms(s.p50),
                ms(s.max),
                bytes as f64 / 1e6
            ),
            &format!("≤ {} ms", DEEP_PAGE_GOAL.as_millis()),
            Verdict::of(s.p50 <= DEEP_PAGE_GOAL),
        ),
        Err(e) => report.error(&name, &e),
    }
}

/// Bytes of all files under `dir`.
pub fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// Size of DATA_DIR/search-index.
fn index_size(ctx: &Context, report: &mut Report) {
    let dir = ctx.work.join("data").join("search-index");
    let name = format!("search index size ({} datasets)", thousands(ctx.args.count));
    match dir_size(&dir) {
        Ok(bytes) => {
            let mb = bytes as f64 / 1e6;
            report.add(
                &name,
                format!("{mb:.1} MB ({} files)", file_count(&dir)),
                &format!("≤ {INDEX_SIZE_GOAL_MB:.0} MB"),
                Verdict::of(mb <= INDEX_SIZE_GOAL_MB),
            );
        }
        Err(e) => report.error(&name, &e),
    }
}

fn file_count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// `dataportal reindex` with the server stopped: wall time and the time the
/// command prints; the goal is 30 s per 100,000 datasets, on the printed time.
pub fn reindex(cli: &ServerCli, report: &mut Report, count: u64) {
    let name = format!("dataportal reindex {} datasets", thousands(count));
    let goal = REINDEX_GOAL_SECS * count as f64 / 100_000.0;
    eprintln!("reindexing (server stopped) ...");
    let started = Instant::now();
    match cli.run(&["reindex"], None) {
        Ok(out) => {
            let wall = started.elapsed().as_secs_f64();
            let line = out
                .lines()
                .rev()
                .find(|l| l.contains("Reindexed"))
                .unwrap_or_default();
            let printed = printed_secs(line);
            let reindexed = crate::run::count_after(line, "reindexed");
            let secs = printed.unwrap_or(wall);
            let mut value = format!("{secs:.1} s (wall {wall:.1} s");
            if let Some(n) = reindexed {
                value.push_str(&format!("; {} datasets", thousands(n)));
            }
            value.push(')');
            report.add(
                &name,
                value,
                &format!("≤ {goal:.1} s (30 s per 100,000)"),
                Verdict::of(secs <= goal && reindexed.is_none_or(|n| n >= count)),
            );
            let size = dir_size(&cli.data_dir.join("search-index"));
            if let Ok(bytes) = size {
                report.info(
                    "search index size after reindex",
                    format!("{:.1} MB", bytes as f64 / 1e6),
                );
            }
        }
        Err(e) => report.error(&name, &e),
    }
}

/// The seconds in "... in 12.3 s".
pub fn printed_secs(line: &str) -> Option<f64> {
    let at = line.rfind(" in ")?;
    line[at + 4..]
        .trim()
        .trim_end_matches('s')
        .trim()
        .parse()
        .ok()
}

/// The PostgreSQL side: load, index, time the same request sequence, and the
/// ratio rows against `ours`.
pub fn pg_figures(ctx: &Context, report: &mut Report, corpus: &Path, ours: &Ours) {
    let set = query_set();
    let n = requests(ctx);
    let seq = request_sequence(set.len(), n, ctx.args.seed.wrapping_add(7));
    eprintln!("PostgreSQL full-text search: loading the corpus ...");
    let mut pg = match pgfts::PgFts::setup(&ctx.args.pg_fts_url, corpus) {
        Ok(pg) => pg,
        Err(e) => return report.error("PostgreSQL FTS set-up", &e),
    };
    report.info(
        "PostgreSQL FTS load + tsvector + GIN",
        format!(
            "{:.1} s + {:.1} s ({} rows; GIN {:.1} MB, table {:.1} MB)",
            pg.load_time.as_secs_f64(),
            pg.index_time.as_secs_f64(),
            thousands(pg.rows),
            pg.gin_bytes as f64 / 1e6,
            pg.table_bytes as f64 / 1e6
        ),
    );
    let pg_result = pg_latency(&mut pg, &set, &seq, ours, report);
    if let Err(e) = pg.teardown() {
        report.error("PostgreSQL FTS clean-up", &e);
    }
    let pg_stats = match pg_result {
        Ok(s) => s,
        Err(e) => return report.error("PostgreSQL FTS latency", &e),
    };
    report.info(
        &format!(
            "PostgreSQL FTS p50 / p99 ({} calls, 1 client)",
            thousands(pg_stats.count as u64)
        ),
        format!(
            "{} / {} (mean {}, max {})",
            ms(pg_stats.p50),
            ms(pg_stats.p99),
            ms(pg_stats.mean),
            ms(pg_stats.max)
        ),
    );
    let Some(our) = ours.stats else {
        return;
    };
    for (label, theirs, mine) in [
        ("p50", pg_stats.p50, our.p50),
        ("p99", pg_stats.p99, our.p99),
    ] {
        let ratio = theirs.as_secs_f64() / mine.as_secs_f64().max(1e-9);
        report.add(
            &format!("faster than PostgreSQL FTS at {label}"),
            format!("{ratio:.1}× (PG {} vs ours {})", ms(theirs), ms(mine)),
            &format!("≥ {PG_RATIO_GOAL:.0}×"),
            Verdict::of(ratio >= PG_RATIO_GOAL),
        );
    }
}

/// Longest time spent timing PostgreSQL (it can be slow on broad queries).
const PG_BUDGET: Duration = Duration::from_secs(90);

/// Warms every query (recording counts for the parity row), then times the
/// sequence until done or [`PG_BUDGET`] runs out.
fn pg_latency(
    pg: &mut pgfts::PgFts,
    set: &[SearchQuery],
    seq: &[usize],
    ours: &Ours,
    report: &mut Report,
) -> Result<Stats> {
    eprintln!("PostgreSQL FTS: warming up and timing ...");
    let mut counts = Vec::with_capacity(set.len());
    for q in set {
        counts.push(pg.search(q).with_context(|| format!("query {q:?}"))?.count);
    }
    if ours.counts.len() == counts.len() {
        let sum = |c: &[u64]| c.iter().sum::<u64>();
        let zero = |c: &[u64]| c.iter().filter(|&&n| n == 0).count();
        report.info(
            &format!("matches summed over the {} queries", set.len()),
            format!(
                "ours {} ({} empty), PostgreSQL {} ({} empty)",
                thousands(sum(&ours.counts)),
                zero(&ours.counts),
                thousands(sum(&counts)),
                zero(&counts)
            ),
        );
    }
    let budget = Instant::now() + PG_BUDGET;
    let mut times = Vec::with_capacity(seq.len());
    for &i in seq {
        if Instant::now() > budget {
            break;
        }
        let start = Instant::now();
        pg.search(&set[i])
            .with_context(|| format!("query {:?}", set[i]))?;
        times.push(start.elapsed());
    }
    Stats::of(&mut times).ok_or_else(|| anyhow!("no PostgreSQL sample"))
}

/// Stops the server, runs `reindex`, starts it again and checks that it kept
/// the index (no rebuild: `package_search` counts everything at once).
pub fn reindex_and_restart(
    cli: &ServerCli,
    report: &mut Report,
    server: ServerProcess,
    count: u64,
    log: &Path,
    ready_timeout: Duration,
) -> Result<ServerProcess> {
    let addr = server.addr;
    let stopped = server.stop();
    report.info(
        "server stop (SIGTERM)",
        match stopped {
            Ok(d) => format!("{:.2} s", d.as_secs_f64()),
            Err(e) => format!("{e:#}"),
        },
    );
    reindex(cli, report, count);
    eprintln!("restarting the server ...");
    let mut server = cli.spawn_serve(addr, log)?;
    let ready = server.wait_ready(ready_timeout)?;
    let counted = crate::api::search_count(addr);
    let (value, verdict) = match counted {
        Ok(n) if n >= count => (
            format!(
                "ready in {:.2} s, search counts {} at once",
                ready.as_secs_f64(),
                thousands(n)
            ),
            Verdict::Pass,
        ),
        Ok(n) => (
            format!(
                "ready in {:.2} s, search counts {} (rebuilding an index that was in step?)",
                ready.as_secs_f64(),
                thousands(n)
            ),
            Verdict::Miss,
        ),
        Err(e) => (format!("{e:#}"), Verdict::Error),
    };
    report.add(
        "restart after reindex keeps the index",
        value,
        "no rebuild",
        verdict,
    );
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_set_is_mixed_and_unique() {
        let set = query_set();
        assert!(set.len() >= 50, "{} queries", set.len());
        let has = |f: &dyn Fn(&SearchQuery) -> bool| set.iter().any(f);
        assert!(has(&|q| q.text == "giá đất" && q.filter.is_none()));
        assert!(has(&|q| q.text == "gia dat" && q.filter.is_none()));
        assert!(has(&|q| q.text.is_empty() && q.filter.is_none()));
        assert!(has(&|q| q.text.starts_with("Sở ")));
        assert!(has(&|q| q.text == "OCOP"));
        assert!(has(&|q| matches!(q.filter, Some(Filter::Organization(_)))));
        assert!(has(&|q| q.filter == Some(Filter::Format("CSV"))));
        // Both spellings are well represented.
        let ascii = set.iter().filter(|q| q.text.is_ascii()).count();
        assert!(ascii >= 15 && set.len() - ascii >= 25, "{ascii} ASCII");
        for (i, a) in set.iter().enumerate() {
            assert!(!set[i + 1..].contains(a), "duplicate {a:?}");
        }
    }

    #[test]
    fn sequence_is_seeded_and_covers_the_set() {
        let a = request_sequence(60, 5000, 1);
        assert_eq!(a, request_sequence(60, 5000, 1));
        assert_ne!(a, request_sequence(60, 5000, 2));
        assert!(a.iter().all(|&i| i < 60));
        let mut seen = [false; 60];
        a.iter().for_each(|&i| seen[i] = true);
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn targets_are_encoded() {
        assert_eq!(encode("giá đất"), "gi%C3%A1%20%C4%91%E1%BA%A5t");
        assert_eq!(encode("a-b_c.d~e:f"), "a-b_c.d~e%3Af");
        let q = SearchQuery {
            text: "dân số",
            filter: Some(Filter::Organization("cuc-thong-ke-tinh")),
        };
        assert_eq!(
            target(&q, 10, 0, true),
            "/api/3/action/package_search?q=d%C3%A2n%20s%E1%BB%91&rows=10\
             &fq=organization%3Acuc-thong-ke-tinh\
             &facet.field=%5B%22organization%22%2C%22groups%22%2C%22res_format%22%5D"
        );
        let all = SearchQuery {
            text: "",
            filter: None,
        };
        assert_eq!(
            target(&all, 1000, 17000, false),
            "/api/3/action/package_search?q=%2A%3A%2A&rows=1000&start=17000"
        );
    }

    #[test]
    fn stats_percentiles() {
        let mut times: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let s = Stats::of(&mut times).expect("stats");
        assert_eq!(s.count, 100);
        assert_eq!(s.p50, Duration::from_millis(50));
        assert_eq!(s.p99, Duration::from_millis(99));
        assert_eq!(s.max, Duration::from_millis(100));
        assert_eq!(s.mean, Duration::from_micros(50_500));
        let mut one = vec![Duration::from_millis(7)];
        let s = Stats::of(&mut one).expect("stats");
        assert_eq!(
            (s.p50, s.p99),
            (Duration::from_millis(7), Duration::from_millis(7))
        );
        assert!(Stats::of(&mut []).is_none());
    }

    #[test]
    fn envelopes_and_printed_times() {
        assert!(envelope_ok(
            br#"{"help": "x", "success": true, "result": {}}"#
        ));
        assert!(envelope_ok(br#"{"success":true}"#));
        assert!(!envelope_ok(br#"{"success": false, "error": {}}"#));
        assert!(!envelope_ok(b"<html>"));
        assert_eq!(
            printed_secs("Đã lập lại chỉ mục / Reindexed 100000 bộ dữ liệu / datasets in 12.3 s"),
            Some(12.3)
        );
        assert_eq!(printed_secs("nothing"), None);
        assert_eq!(deep_start(100_000), 17_000);
        assert_eq!(deep_start(2000), 1000);
        assert_eq!(deep_start(500), 0);
    }
}
