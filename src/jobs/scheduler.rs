//! The scheduler: while the server runs, enqueues a run of every source and target whose
//! `frequency` is due (its newest run was asked for a period ago or more, and none waits or
//! runs). Runs it enqueues are the same as `harvest_job_create`'s.

use std::time::Duration;

use crate::catalog::harvesting::{runs, sources, targets, Owner};
use crate::catalog::AppContext;
use crate::enums::HarvestFrequency;
use crate::error::AppResult;

/// Looks for due sources and targets every `scheduler_period_secs`.
pub async fn schedule_periodically(ctx: AppContext) {
    let period = Duration::from_secs(ctx.harvest.settings.scheduler_period_secs.max(1));
    loop {
        tokio::time::sleep(period).await;
        let step = ctx.clone();
        match tokio::task::spawn_blocking(move || schedule_due(&step)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(runs = n, "scheduled harvest runs"),
            Ok(Err(error)) => tracing::warn!(error = %error, "scheduling harvest runs"),
            Err(error) => tracing::error!(error = %error, "the harvest scheduler stopped a step"),
        }
    }
}

/// Enqueues a run of each source and target that is due; returns how many.
pub fn schedule_due(ctx: &AppContext) -> AppResult<usize> {
    let owners: Vec<(Owner, HarvestFrequency)> = ctx.db.read(|conn| {
        let mut owners: Vec<(Owner, HarvestFrequency)> = sources::all(conn)?
            .into_iter()
            .map(|s| (Owner::Source(s.id.clone()), s.frequency()))
            .collect();
        owners.extend(
            targets::all(conn)?
                .into_iter()
                .map(|t| (Owner::Target(t.id.clone()), t.frequency())),
        );
        Ok(owners)
    })?;
    let max_attempts = ctx.harvest.settings.job_max_attempts;
    let mut scheduled = 0;
    for (owner, frequency) in owners {
        let Some(period) = frequency.period() else {
            continue;
        };
        let due_before = (chrono::Utc::now()
            - chrono::Duration::from_std(period).unwrap_or(chrono::Duration::zero()))
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string();
        // Checked and created in one transaction, so two schedulers of one process never
        // both create it (PostgreSQL servers sharing a database may; the second run then
        // finds nothing to do).
        let created = ctx.write(|conn| {
            if runs::pending(conn, owner.id())?.is_some() {
                return Ok(false);
            }
            let due = runs::latest(conn, owner.id())?.is_none_or(|job| job.created <= due_before);
            if due {
                runs::create_run(conn, &owner, max_attempts)?;
            }
            Ok(due)
        })?;
        scheduled += usize::from(created);
    }
    Ok(scheduled)
}
