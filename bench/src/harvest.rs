//! The harvest figures: a second dataportal pulls the whole benchmark catalogue through its
//! CKAN API (as the national aggregator would pull a province), and the benchmark server
//! pushes it to a third one, twice: the first push sends everything, the second finds nothing
//! changed. Each peer is started the way README starts a server (migrate, a sysadmin, serve),
//! on the same backend as the benchmark server, and runs the job in its own job runner.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};
use postgres::{Client, NoTls};
use serde_json::{json, Value};

use crate::api::ckan_result;
use crate::http::Conn;
use crate::measure::Context;
use crate::report::{Report, Verdict};
use crate::rss::{mib, Sampler};
use crate::run::{server_cli, sysadmin_token, thousands};
use crate::server::{free_local_addr, ServerCli, ServerProcess};

/// The goals at 100,000 datasets.
const PULL_GOAL: Duration = Duration::from_secs(300);
const NOTHING_CHANGED_PUSH_GOAL: Duration = Duration::from_secs(1);
/// Longest wait for one run: far above the goals, so a slow run is measured, not cut.
const RUN_TIMEOUT: Duration = Duration::from_secs(3 * 3600);

/// Pulls into one peer, pushes to another; each failure becomes an ERROR row.
pub fn harvest_figures(ctx: &Context, report: &mut Report) {
    eprintln!("pulling the catalogue into a second dataportal ...");
    if let Err(error) = pull(ctx, report) {
        report.error("harvest pull (CKAN API, every dataset)", &error);
    }
    eprintln!("pushing the catalogue to a third dataportal, twice ...");
    if let Err(error) = push(ctx, report) {
        report.error("harvest push (CKAN API)", &error);
    }
}

/// Another dataportal pulls every dataset of the benchmark server.
fn pull(ctx: &Context, report: &mut Report) -> Result<()> {
    let mut peer = Peer::start(ctx, "pull")?;
    peer.call(
        "organization_create",
        json!({"name": "tong-hop", "title": "Tổng hợp"}),
    )?;
    let source = peer.call(
        "harvest_source_create",
        json!({"name": "tinh-bench", "title": "Tỉnh (benchmark)", "source_type": "ckan",
               "url": format!("http://{}", ctx.addr), "owner_org": "tong-hop"}),
    )?;
    let sampler = Sampler::start(peer.server.pid(), Duration::from_millis(200));
    let run = peer.run(json!({ "source_id": source["id"] }))?;
    let peak = sampler.finish()?.peak_kib;
    let (added, errored) = (run.stat("added"), run.stat("errored"));
    report.add(
        "harvest pull from another dataportal (CKAN API), every dataset",
        format!(
            "{:.1} s ({}: {} added, {} errored; {:.0} datasets/s; peer RSS peak {:.0} MiB)",
            run.elapsed.as_secs_f64(),
            run.status,
            thousands(added),
            errored,
            added as f64 / run.elapsed.as_secs_f64().max(1e-9),
            mib(peak)
        ),
        "≤ 5 min at 100,000, none errored",
        Verdict::of(
            run.finished()
                && errored == 0
                && added == ctx.args.count
                && (run.elapsed <= PULL_GOAL || ctx.args.count < 100_000),
        ),
    );
    peer.stop()
}

/// The benchmark server pushes to another dataportal: once with everything, once with
/// nothing changed.
fn push(ctx: &Context, report: &mut Report) -> Result<()> {
    let mut peer = Peer::start(ctx, "push")?;
    peer.call(
        "organization_create",
        json!({"name": "nhan", "title": "Nhận"}),
    )?;
    let mut here = Conn::new(ctx.addr);
    let target = call(
        &mut here,
        ctx.token,
        "harvest_target_create",
        json!({"name": "peer-bench", "title": "Cổng nhận (benchmark)", "target_type": "ckan",
               "url": format!("http://{}", peer.server.addr), "token": peer.token,
               "remote_owner_org": "nhan"}),
    )?;
    let owner = json!({ "target_id": target["id"] });
    let first = run_job(&mut here, ctx.token, owner.clone())?;
    report.add(
        "harvest push to another dataportal (CKAN API), first run",
        format!(
            "{:.1} s ({}: {} added, {} errored; {:.0} datasets/s)",
            first.elapsed.as_secs_f64(),
            first.status,
            thousands(first.stat("added")),
            first.stat("errored"),
            first.stat("added") as f64 / first.elapsed.as_secs_f64().max(1e-9)
        ),
        "",
        Verdict::Info,
    );
    let second = run_job(&mut here, ctx.token, owner)?;
    let sent = second.stat("added") + second.stat("updated") + second.stat("deleted");
    report.add(
        "harvest push with nothing changed",
        format!(
            "{} run, {} from request to end ({}: {} sent, {} unchanged)",
            second.run_text(),
            crate::measure::ms(second.elapsed),
            second.status,
            sent,
            thousands(second.stat("unchanged"))
        ),
        "run ≤ 1 s, nothing sent",
        Verdict::of(
            second.finished()
                && sent == 0
                && second
                    .run
                    .is_some_and(|run| run <= NOTHING_CHANGED_PUSH_GOAL),
        ),
    );
    peer.stop()
}

/// A second dataportal started for a harvest figure, with its sysadmin's token.
struct Peer {
    server: ServerProcess,
    token: String,
    conn: Conn,
    /// The scratch PostgreSQL database to drop afterwards: (server URL, name).
    scratch: Option<(String, String)>,
}

impl Peer {
    /// Migrates, creates a sysadmin and serves a fresh peer called `name`, on the benchmark
    /// server's backend (a scratch PostgreSQL database when it runs on PostgreSQL).
    fn start(ctx: &Context, name: &str) -> Result<Peer> {
        let work = ctx.work.join(format!("peer-{name}"));
        if work.exists() {
            std::fs::remove_dir_all(&work)
                .with_context(|| format!("clearing {}", work.display()))?;
        }
        let mut cli = server_cli(ctx.args, &work)?;
        let scratch = match &ctx.args.database_url {
            Some(url) => {
                let db = format!("dp_bench_peer_{name}");
                recreate_database(url, &db)?;
                cli.database_url = Some(crate::pgfts::url_for(url, &db));
                Some((url.clone(), db))
            }
            None => None,
        };
        cli.run(&["migrate"], None)?;
        let token = sysadmin_token(ctx.args, &cli)?;
        let server = serve(ctx, &cli, &work)?;
        let conn = Conn::new(server.addr);
        Ok(Peer {
            server,
            token,
            conn,
            scratch,
        })
    }

    fn call(&mut self, action: &str, body: Value) -> Result<Value> {
        call(&mut self.conn, &self.token, action, body)
    }

    fn run(&mut self, owner: Value) -> Result<Run> {
        run_job(&mut self.conn, &self.token, owner)
    }

    /// Kills the peer and drops its scratch database.
    fn stop(self) -> Result<()> {
        drop(self.server);
        if let Some((url, db)) = self.scratch {
            let mut admin = Client::connect(&crate::pgfts::url_for(&url, "postgres"), NoTls)?;
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))?;
        }
        Ok(())
    }
}

fn serve(ctx: &Context, cli: &ServerCli, work: &Path) -> Result<ServerProcess> {
    let mut server = cli.spawn_serve(free_local_addr()?, &work.join("server.log"))?;
    server.wait_ready(Duration::from_secs(ctx.args.ready_timeout_secs))?;
    Ok(server)
}

/// Drops and creates a scratch database on the PostgreSQL server of `url`.
fn recreate_database(url: &str, db: &str) -> Result<()> {
    let admin_url = crate::pgfts::url_for(url, "postgres");
    let mut admin =
        Client::connect(&admin_url, NoTls).with_context(|| format!("connecting to {admin_url}"))?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))?;
    admin.batch_execute(&format!("CREATE DATABASE {db}"))?;
    Ok(())
}

/// One action call with a token; the `result` or the error.
fn call(conn: &mut Conn, token: &str, action: &str, body: Value) -> Result<Value> {
    let resp = conn.post_json(
        &format!("/api/3/action/{action}"),
        Some(token),
        body.to_string().as_bytes(),
    )?;
    ckan_result(&resp).with_context(|| action.to_owned())
}

/// A harvest run as the harness saw it.
struct Run {
    /// From the `harvest_job_create` request to seeing the run ended (includes the wait for
    /// the job runner's next poll).
    elapsed: Duration,
    /// The run itself, from the job's own start and finish times.
    run: Option<Duration>,
    status: String,
    job: Value,
}

impl Run {
    fn stat(&self, key: &str) -> u64 {
        self.job["stats"][key].as_u64().unwrap_or(0)
    }

    fn finished(&self) -> bool {
        self.status == "Finished"
    }

    fn run_text(&self) -> String {
        self.run.map_or_else(|| "?".to_owned(), crate::measure::ms)
    }
}

/// Starts a run and polls `harvest_job_show` every 20 ms until it ends.
fn run_job(conn: &mut Conn, token: &str, owner: Value) -> Result<Run> {
    let started = Instant::now();
    let job = call(conn, token, "harvest_job_create", owner)?;
    let id = job["id"]
        .as_str()
        .ok_or_else(|| anyhow!("harvest_job_create gave no id: {job}"))?
        .to_owned();
    loop {
        let job = call(conn, token, "harvest_job_show", json!({ "id": id }))?;
        let status = job["status"].as_str().unwrap_or_default().to_owned();
        if matches!(status.as_str(), "Finished" | "Failed") {
            let elapsed = started.elapsed();
            let run = between(&job["gather_started"], &job["finished"]);
            if status == "Failed" {
                eprintln!("  the run failed: {}", job["error"]);
            }
            return Ok(Run {
                elapsed,
                run,
                status,
                job,
            });
        }
        if started.elapsed() > RUN_TIMEOUT {
            bail!("the run did not end within {RUN_TIMEOUT:?}: {job}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The time between two of the server's timestamps (`YYYY-MM-DDTHH:MM:SS.ffffff`, UTC).
fn between(start: &Value, end: &Value) -> Option<Duration> {
    let seconds = |v: &Value| -> Option<f64> {
        let text = v.as_str()?;
        let (date, time) = text.split_once('T')?;
        let day: f64 = date.rsplit('-').next()?.parse().ok()?;
        let mut parts = time.trim_end_matches('Z').split(':');
        let h: f64 = parts.next()?.parse().ok()?;
        let m: f64 = parts.next()?.parse().ok()?;
        let s: f64 = parts.next()?.parse().ok()?;
        // Runs measured here last far less than a month: the day of the month suffices.
        Some(day * 86_400.0 + h * 3600.0 + m * 60.0 + s)
    };
    let elapsed = seconds(end)? - seconds(start)?;
    (elapsed >= 0.0).then(|| Duration::from_secs_f64(elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_time_from_the_servers_timestamps() {
        let d = between(
            &json!("2026-12-01T07:59:59.750000"),
            &json!("2026-12-01T08:00:00.250000"),
        );
        assert_eq!(d.map(|d| d.as_millis()), Some(500));
        assert_eq!(between(&json!(null), &json!("2026-12-01T08:00:00")), None);
    }
}
