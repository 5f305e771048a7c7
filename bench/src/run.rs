//! `dataportal-bench run`: set-up (corpus, migrate, sysadmin, token, timed
//! import, serve) and then the measurements of [`crate::measure`]. The table
//! is printed even when a phase fails; the server is killed in every case.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::corpus::{self, Generator};
use crate::measure;
use crate::report::{Report, Verdict};
use crate::search;
use crate::server::{free_local_addr, ServerCli};
use crate::{resolve, RunArgs};

/// The sysadmin account the harness creates for its writes.
const BENCH_USER: &str = "benchadmin";

/// Runs everything; `Ok(false)` when a figure missed its goal or failed.
pub fn run(args: &RunArgs) -> Result<bool> {
    crate::http::set_browser_headers(!args.plain_client);
    let mut report = Report::default();
    let outcome = run_phases(args, &mut report);
    if !report.is_empty() {
        println!(
            "\ndataportal benchmark, {} datasets\n",
            thousands(args.count)
        );
        print!("{}", report.render());
    }
    outcome?;
    Ok(!report.any_failed())
}

/// Everything that needs a server. Errors here abort the run; measurement
/// errors are recorded in the report instead.
fn run_phases(args: &RunArgs, report: &mut Report) -> Result<()> {
    let work = &args.work_dir;
    std::fs::create_dir_all(work).with_context(|| format!("creating {}", work.display()))?;
    let work = work
        .canonicalize()
        .with_context(|| format!("resolving {}", work.display()))?;
    let cli = server_cli(args, &work)?;

    eprintln!("generating the corpus ...");
    let small = args.count < 10_000;
    let creates = args.creates.unwrap_or(if small { 500 } else { 2000 });
    let started = Instant::now();
    let fixture = corpus::load_fixture(&resolve(&args.fixture))?;
    let mut gen = Generator::new(fixture, args.seed)?;
    let corpus_path = work.join(format!("corpus-{}.jsonl", args.count));
    let names = corpus::write_corpus(&mut gen, args.count, &corpus_path)?;
    // Datasets for package_create come from the same generator, so their
    // names never collide with imported ones.
    let create_dicts: Vec<Value> = (0..2 * creates).map(|_| gen.next_dataset()).collect();
    report.info(
        "corpus generation",
        format!("{:.1} s", started.elapsed().as_secs_f64()),
    );

    eprintln!("migrating, creating the sysadmin and a token ...");
    cli.run(&["migrate"], None)?;
    let token = sysadmin_token(args, &cli)?;

    eprintln!("importing {} datasets ...", thousands(args.count));
    let corpus_arg = corpus_path.to_string_lossy();
    let started = Instant::now();
    let out = cli.run(&["import", &corpus_arg], None)?;
    import_figure(report, args.count, started.elapsed(), &out);

    eprintln!("starting the server ...");
    let addr = free_local_addr()?;
    let mut server = cli.spawn_serve(addr, &work.join("server.log"))?;
    let ready = server.wait_ready(Duration::from_secs(args.ready_timeout_secs))?;
    report.info(
        "server ready after start",
        format!("{:.2} s", ready.as_secs_f64()),
    );

    let mut ctx = measure::Context {
        addr,
        pid: server.pid(),
        token: &token,
        names: &names,
        args,
        work: &work,
    };
    measure::idle_and_latency(&ctx, report, &mut server)?;
    report.info("search index at start", index_at_start(&server.log_text()));
    if !args.skip_search {
        let ours = search::http_figures(&ctx, report, &mut server);
        crate::suggest::suggestion_figures(&ctx, report);
        server.ensure_running()?;
        if !args.skip_reindex {
            server = search::reindex_and_restart(
                &cli,
                report,
                server,
                args.count,
                &work.join("server-after-reindex.log"),
                Duration::from_secs(args.ready_timeout_secs),
            )?;
            ctx.pid = server.pid();
        }
        if !args.skip_pg_fts {
            search::pg_figures(&ctx, report, &corpus_path, &ours);
        }
    }
    if !args.skip_pages {
        crate::pages::page_figures(&ctx, report);
        server.ensure_running()?;
    }
    if !args.skip_dcat {
        crate::dcat::dcat_figures(&ctx, report);
        server.ensure_running()?;
    }
    if !args.skip_harvest {
        crate::harvest::harvest_figures(&ctx, report);
        server.ensure_running()?;
    }
    measure::creates(&ctx, report, &mut server, create_dicts, creates)?;
    if !args.skip_upload {
        measure::upload(&ctx, report, &mut server)?;
    }
    server.ensure_running()?;
    if !args.skip_search && !args.skip_uncached {
        server = search::uncached_figures(
            &cli,
            report,
            &mut ctx,
            server,
            &work.join("server-uncached.log"),
            Duration::from_secs(args.ready_timeout_secs),
        )?;
        server.ensure_running()?;
    }
    Ok(())
}

/// What the server's log says it did with the search index at start: nothing (in step),
/// a catch-up from the change log, or a rebuild (the lines of `catalog::indexing`).
fn index_at_start(log: &str) -> String {
    let plain = strip_ansi(log);
    let said: Vec<&str> = plain
        .lines()
        .filter(|l| l.contains("search index"))
        .map(|l| {
            l.split_once("search index")
                .map_or(l, |(_, rest)| rest)
                .trim()
        })
        .collect();
    if said.is_empty() {
        "in step (no catch-up, no rebuild logged)".to_owned()
    } else {
        format!("search index {}", said.join("; search index "))
    }
}

/// Builds the server invocation; a fresh SQLite data dir unless a database
/// URL was given.
pub(crate) fn server_cli(args: &RunArgs, work: &Path) -> Result<ServerCli> {
    let bin = resolve(&args.server_bin);
    if !bin.exists() {
        bail!(
            "server binary {} not found (build it with `cargo build --release`, or pass --server-bin)",
            bin.display()
        );
    }
    let data_dir = work.join("data");
    if args.database_url.is_none() && data_dir.exists() {
        // Our own directory from a previous run: start from an empty catalogue.
        std::fs::remove_dir_all(&data_dir)
            .with_context(|| format!("clearing {}", data_dir.display()))?;
    }
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut env: Vec<(String, String)> = args
        .server_env
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| anyhow!("--server-env {kv:?} is not KEY=VALUE"))
        })
        .collect::<Result<_>>()?;
    // The harness calls anonymously from one address, thousands of times a second: the
    // per-address rate limit would measure itself. Off unless the run sets it.
    if !env
        .iter()
        .any(|(k, _)| k.starts_with("DATAPORTAL__RATE_LIMIT__"))
    {
        env.push(("DATAPORTAL__RATE_LIMIT__ENABLED".into(), "false".into()));
    }
    Ok(ServerCli {
        bin,
        data_dir,
        database_url: args.database_url.clone(),
        env,
    })
}

/// Creates the bench sysadmin (password on stdin) and returns a new token.
pub(crate) fn sysadmin_token(args: &RunArgs, cli: &ServerCli) -> Result<String> {
    let password: String = StdRng::from_entropy()
        .sample_iter(&Alphanumeric)
        .take(24)
        .map(char::from)
        .collect();
    let email = format!("{BENCH_USER}@example.invalid");
    let created = cli.run(
        &[
            "user",
            "create",
            BENCH_USER,
            "--email",
            &email,
            "--sysadmin",
        ],
        Some(&password),
    );
    match created {
        Ok(_) => {}
        // A reused PostgreSQL database may already have the user; the token
        // step below fails clearly if it does not.
        Err(e) if args.database_url.is_some() => {
            eprintln!("warning: user create failed, assuming {BENCH_USER} exists: {e:#}")
        }
        Err(e) => return Err(e),
    }
    let out = cli.run(&["token", "create", BENCH_USER], None)?;
    out.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
        .ok_or_else(|| anyhow!("token create printed no token"))
}

/// Records the import figure: the goal is 60 s per 100,000 datasets, applied
/// pro rata (process start-up makes small counts look worse).
fn import_figure(report: &mut Report, count: u64, elapsed: Duration, output: &str) {
    let secs = elapsed.as_secs_f64();
    let goal = 60.0 * count as f64 / 100_000.0;
    let counts: Vec<Option<u64>> = ["created", "updated", "failed"]
        .iter()
        .map(|w| count_after(output, w))
        .collect();
    let summary = match counts[..] {
        [Some(c), Some(u), Some(f)] => format!("created {c}, updated {u}, failed {f}"),
        _ => output.lines().last().unwrap_or_default().trim().to_string(),
    };
    let all_in = match counts[..] {
        [Some(c), u, f] => c + u.unwrap_or(0) == count && f.unwrap_or(0) == 0,
        _ => true,
    };
    report.add(
        &format!("import {} datasets", thousands(count)),
        format!(
            "{secs:.1} s ({:.0}/s; {summary})",
            count as f64 / secs.max(1e-9)
        ),
        &format!("≤ {goal:.1} s (60 s per 100,000), no failures"),
        Verdict::of(secs <= goal && all_in),
    );
}

/// The number next to `word` in free-form output ("created: 10", "10 created",
/// "created=10"), if any. A number after the word (across spaces, ':' or '=')
/// wins; else one just before it on the same line.
pub fn count_after(output: &str, word: &str) -> Option<u64> {
    let lower = output.to_lowercase();
    let at = lower.rfind(word)?;
    let after = lower[at + word.len()..].trim_start_matches([' ', '\t', ':', '=']);
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    if let Ok(n) = digits.parse() {
        return Some(n);
    }
    let before = lower[..at].trim_end_matches([' ', '\t']);
    let rev: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    rev.chars().rev().collect::<String>().parse().ok()
}

/// The text without terminal colour codes (`ESC [ … m`), which the server's log carries.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// `1234567` as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_found_in_various_shapes() {
        assert_eq!(
            count_after("created: 10, updated: 2, failed: 0", "created"),
            Some(10)
        );
        assert_eq!(
            count_after("10 created\n2 updated\n0 failed", "updated"),
            Some(2)
        );
        assert_eq!(
            count_after("Imported. created=7 failed=1", "failed"),
            Some(1)
        );
        assert_eq!(count_after("nothing here", "created"), None);
    }

    #[test]
    fn the_log_tells_what_became_of_the_index() {
        assert_eq!(
            index_at_start("INFO portal listening\n"),
            "in step (no catch-up, no rebuild logged)"
        );
        let log = "\u{1b}[32m INFO\u{1b}[0m x: search index out of step with the database: \
                   rebuilding\n INFO x: search index rebuilt \u{1b}[3mcount\u{1b}[0m=5\n";
        assert_eq!(
            index_at_start(log),
            "search index out of step with the database: rebuilding; search index rebuilt count=5"
        );
    }

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
