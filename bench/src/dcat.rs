//! The full DCAT export: `/catalog.rdf?page=all` (every public dataset as RDF/XML, streamed
//! by the server from the database in batches), timed over one connection and read to the
//! end without being kept, with the server's RSS before, during and after.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

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

/// Reads `/catalog.rdf?page=all` to the end: bytes received and `</dcat:Dataset>` seen
/// (a marker cut by a chunk-size line of the chunked encoding is missed: a few at most).
fn read_export(ctx: &Context) -> Result<(u64, u64)> {
    let mut stream = TcpStream::connect(ctx.addr).context("connecting to the server")?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        stream,
        "GET /catalog.rdf?page=all HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        ctx.addr
    )?;
    let marker = b"</dcat:Dataset>";
    let mut buffer = vec![0u8; 256 * 1024];
    let (mut total, mut datasets) = (0u64, 0u64);
    // The last bytes of the previous read, so a marker cut in two is still counted.
    let mut carry: Vec<u8> = Vec::new();
    let mut head = Vec::new();
    loop {
        let n = stream.read(&mut buffer).context("reading the export")?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if head.len() < 64 {
            head.extend_from_slice(&buffer[..n.min(64)]);
        }
        let mut window = std::mem::take(&mut carry);
        window.extend_from_slice(&buffer[..n]);
        // The carried tail was already searched: count only markers that end in new bytes.
        let fresh = window.len() - n;
        datasets += window
            .windows(marker.len())
            .enumerate()
            .filter(|(i, w)| i + marker.len() > fresh && *w == marker)
            .count() as u64;
        let keep = window.len().min(64);
        carry = window[window.len() - keep..].to_vec();
    }
    if !head.starts_with(b"HTTP/1.1 200") {
        bail!("the export answered {}", String::from_utf8_lossy(&head));
    }
    if !String::from_utf8_lossy(&carry).contains("</rdf:RDF>") {
        bail!("the export ended mid-document");
    }
    Ok((total, datasets))
}
