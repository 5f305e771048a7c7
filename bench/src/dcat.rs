//! The full DCAT export: `/catalog.rdf?page=all` (every public dataset as RDF/XML, streamed
//! by the server from the database in batches), timed over one connection and read to the
//! end, with the server's RSS before, during and after.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::measure::Context;
use crate::report::{Report, Verdict};
use crate::rss::{mib, rss_kib, Sampler};

/// The goals at 100,000 datasets.
const TIME_GOAL: Duration = Duration::from_secs(15);
const RSS_GROWTH_GOAL_MIB: f64 = 32.0;

/// Times the export and records the figures.
pub fn dcat_figures(ctx: &Context, report: &mut Report) {
    eprintln!("timing the full DCAT export (RDF/XML) ...");
    if let Err(error) = export(ctx, report) {
        report.error("DCAT export (RDF/XML, all datasets)", &error);
    }
}

fn export(ctx: &Context, report: &mut Report) -> Result<()> {
    let before = rss_kib(ctx.pid)?;
    let sampler = Sampler::start(ctx.pid, Duration::from_millis(20));
    let started = Instant::now();
    let (bytes, datasets) = read_export(ctx)?;
    let elapsed = started.elapsed();
    let peak = sampler.finish()?.peak_kib;
    let after = rss_kib(ctx.pid)?;
    report.add(
        "DCAT export, RDF/XML, every dataset",
        format!(
            "{:.2} s ({} datasets, {:.0} MiB, {:.0} MiB/s)",
            elapsed.as_secs_f64(),
            crate::run::thousands(datasets),
            mib(bytes / 1024),
            mib(bytes / 1024) / elapsed.as_secs_f64()
        ),
        "≤ 15 s at 100,000",
        Verdict::of(elapsed <= TIME_GOAL || ctx.args.count < 100_000),
    );
    let growth = mib(peak.saturating_sub(before));
    report.add(
        "server RSS during the DCAT export",
        format!(
            "{:.0} MiB before, {:.0} MiB peak (+{growth:.1}), {:.0} MiB after",
            mib(before),
            mib(peak),
            mib(after)
        ),
        "growth ≤ 32 MiB",
        Verdict::of(growth <= RSS_GROWTH_GOAL_MIB),
    );
    Ok(())
}

/// Reads `/catalog.rdf?page=all` to the end as a harvester does, with the headers of the run
/// (a browser's by default: `Accept-Encoding: gzip` makes the server compress the stream, as
/// it does for data.gov.vn's harvester or `curl --compressed`), decoded; returns the bytes
/// of the document and the `</dcat:Dataset>` in it.
fn read_export(ctx: &Context) -> Result<(u64, u64)> {
    let mut conn = crate::http::Conn::new(ctx.addr);
    let resp = conn.get("/catalog.rdf?page=all")?;
    if resp.status != 200 {
        bail!("the export answered HTTP {}", resp.status);
    }
    let body = &resp.body;
    if !body.trim_ascii_end().ends_with(b"</rdf:RDF>") {
        bail!("the export ended mid-document");
    }
    let marker = b"</dcat:Dataset>";
    let datasets = body.windows(marker.len()).filter(|w| *w == marker).count() as u64;
    Ok((body.len() as u64, datasets))
}
