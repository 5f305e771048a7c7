//! `dataportal harvest run NAME [--dry-run]` and `dataportal harvest list`: the same actions
//! as the API (`harvest_job_create`, `harvest_job_show`, `harvest_*_list`), and the same job
//! runner as the server.

use anyhow::{bail, Context};
use serde_json::{json, Value};

use dataportal::catalog::harvesting::runs::JobView;
use dataportal::catalog::harvesting::{sources, targets};
use dataportal::catalog::{actions, Actor, AppContext};
use dataportal::enums::{HarvestJobStatus, HarvestTargetType};
use dataportal::harvest::run::push::{self, Step};
use dataportal::harvest::run::remote;
use dataportal_harvesters::dcat_push::{address, Method};

fn call(ctx: &AppContext, action: &str, dict: Value) -> anyhow::Result<Value> {
    let dict = dict.as_object().cloned().unwrap_or_default();
    actions::call_value(ctx, &Actor::system(), action, &dict, None)
        .map_err(|e| anyhow::anyhow!("{}", dataportal::error::bilingual(&e).join("\n")))
}

/// Prints every source and target with its newest run.
pub fn list(ctx: &AppContext) -> anyhow::Result<()> {
    for (kind, action) in [
        ("nguồn / source", "harvest_source_list"),
        ("đích / target", "harvest_target_list"),
    ] {
        let items = call(ctx, action, json!({}))?;
        for item in items.as_array().into_iter().flatten() {
            let last = &item["last_job"];
            let summary = if last.is_null() {
                "chưa chạy / never run".to_owned()
            } else {
                format!(
                    "{} {} (+{} ~{} ={} -{} !{})",
                    last["status"].as_str().unwrap_or(""),
                    last["created"].as_str().unwrap_or(""),
                    last["stats"]["added"],
                    last["stats"]["updated"],
                    last["stats"]["unchanged"],
                    last["stats"]["deleted"],
                    last["stats"]["errored"],
                )
            };
            println!(
                "{kind}\t{}\t{}\t{}\t{}\t{summary}",
                item["name"].as_str().unwrap_or(""),
                item["source_type"]
                    .as_str()
                    .or(item["target_type"].as_str())
                    .unwrap_or(""),
                item["frequency"].as_str().unwrap_or(""),
                item["url"].as_str().unwrap_or(""),
            );
        }
    }
    Ok(())
}

/// Runs the source or target `name` now and waits for the end; with `dry_run`, prints what a
/// push would do instead.
pub fn run(ctx: &AppContext, name: &str, dry_run: bool) -> anyhow::Result<()> {
    let (source, target) = ctx
        .db
        .read(|conn| Ok((sources::find(conn, name)?, targets::find(conn, name)?)))?;
    let owner = match (source, target) {
        (Some(_), Some(_)) => bail!(
            "\"{name}\" là tên của cả một nguồn và một đích; dùng mã (id) / \"{name}\" names both a source and a target: use its id"
        ),
        (Some(source), None) => json!({ "source_id": source.id }),
        (None, Some(target)) => json!({ "target_id": target.id }),
        (None, None) => bail!("không có nguồn hay đích \"{name}\" / no source or target \"{name}\""),
    };
    if dry_run {
        let Some(target_id) = owner["target_id"].as_str() else {
            bail!("--dry-run chỉ dành cho đích đẩy / --dry-run is for push targets");
        };
        return print_plan(ctx, target_id);
    }
    let job = call(ctx, "harvest_job_create", owner)?;
    let id = job["id"]
        .as_str()
        .context("the new run has no id")?
        .to_owned();
    println!("Lượt chạy / run {id}");
    let worker = dataportal::jobs::worker_name();
    let view = loop {
        let ran = dataportal::jobs::run_one(ctx, &worker, Some(&id))?;
        let view: JobView =
            serde_json::from_value(call(ctx, "harvest_job_show", json!({ "id": id }))?)?;
        match view.status {
            HarvestJobStatus::Finished | HarvestJobStatus::Failed => break view,
            _ if ran.is_none() => {
                // Waiting to be tried again, or run by the server meanwhile.
                if let Some(at) = &view.retry_at {
                    eprintln!(
                        "chờ thử lại lúc / retrying at {at}: {}",
                        view.error.as_deref().unwrap_or("")
                    );
                }
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
            _ => {}
        }
    };
    let s = &view.stats;
    println!(
        "{:?}: thêm / added {}, cập nhật / updated {}, không đổi / unchanged {}, xóa / deleted {}, lỗi / errored {}",
        view.status, s.added, s.updated, s.unchanged, s.deleted, s.errored
    );
    for error in &view.errors {
        eprintln!("{} ({}): {}", error.name, error.guid, error.message);
    }
    if view.status == HarvestJobStatus::Failed {
        bail!(
            "lượt chạy thất bại / the run failed: {}",
            view.error.unwrap_or_default()
        );
    }
    Ok(())
}

/// Prints what a push of `target_id` would send and withdraw; for a `dcat-push` target, also
/// the request each step would make.
fn print_plan(ctx: &AppContext, target_id: &str) -> anyhow::Result<()> {
    let plan = push::plan(ctx, target_id, None)?;
    let target = ctx
        .db
        .read(|conn| targets::find(conn, target_id))?
        .context("the target is gone")?;
    let endpoint = (target.target_type() == Some(HarvestTargetType::DcatPush))
        .then(|| remote::endpoint(&target));
    let request = |verb: &str, guid: &str| match &endpoint {
        Some(endpoint) => format!("\t{verb} {}", address(&endpoint.url, guid)),
        None => String::new(),
    };
    for step in &plan.steps {
        match step {
            Step::Send { name, id, new, .. } => {
                let verb = match endpoint.as_ref().map(|e| e.method) {
                    Some(Method::Post) => "POST",
                    _ => "PUT",
                };
                let what = if *new {
                    "gửi mới / create"
                } else {
                    "cập nhật / update"
                };
                println!("{what}\t{name}{}", request(verb, id));
            }
            Step::Withdraw { name, id, .. } => {
                println!("rút / withdraw\t{name}{}", request("DELETE", id));
            }
        }
    }
    println!(
        "Chạy thử / dry run: {} việc / steps, {} không đổi / unchanged; chưa gửi gì / nothing sent",
        plan.steps.len(),
        plan.unchanged
    );
    Ok(())
}
