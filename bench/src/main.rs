//! `dataportal-bench`: builds a realistic Vietnamese CKAN corpus of any size
//! and measures the `dataportal` server end to end (import time, idle memory,
//! `package_show` latency, `package_create` throughput, large-upload memory,
//! `package_search` latency, throughput, deep paging, index size and reindex
//! time, side by side with PostgreSQL full-text search).
//! Benchmarks are run on purpose and print figures; they are not tests.

mod api;
mod corpus;
mod dcat;
mod harvest;
mod http;
mod measure;
mod pages;
mod pgfts;
mod places;
mod report;
mod rss;
mod run;
mod search;
mod server;
mod suggest;
mod text;
mod upload;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

/// Benchmark harness for the dataportal server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write N realistic CKAN package dicts (JSONL) scaled from the fixture.
    Corpus(CorpusArgs),
    /// Run the whole benchmark against a server binary and print the figures.
    Run(RunArgs),
}

/// Options of `corpus`.
#[derive(Args)]
struct CorpusArgs {
    /// Number of datasets to write.
    #[arg(long, default_value_t = 100_000)]
    count: u64,
    /// Output file (JSONL, one package dict per line).
    #[arg(long)]
    out: PathBuf,
    /// Fixture catalogue to scale (Tây Ninh sample, JSONL).
    #[arg(long, default_value = "demo/tay-ninh-catalogue.jsonl")]
    fixture: PathBuf,
    /// Seed; the same seed and count always give the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Options of `run`.
#[derive(Args)]
pub struct RunArgs {
    /// Datasets to import (goals are defined at 100,000).
    #[arg(long, default_value_t = 100_000)]
    pub count: u64,
    /// The dataportal server binary.
    #[arg(long, default_value = "target/release/dataportal")]
    pub server_bin: PathBuf,
    /// Database URL passed to the server (default: a fresh SQLite file in the
    /// work dir). A PostgreSQL database must be empty: the harness does not drop it.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Directory for the corpus, the server's data dir, logs and the upload file.
    #[arg(long, default_value = "bench-data")]
    pub work_dir: PathBuf,
    /// Fixture catalogue to scale.
    #[arg(long, default_value = "demo/tay-ninh-catalogue.jsonl")]
    pub fixture: PathBuf,
    /// Seed for the corpus, the request mix and the upload file.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// `package_show` requests to time [default: 20000, or 5000 below 10,000 datasets].
    #[arg(long)]
    pub show_requests: Option<usize>,
    /// `package_create` calls per throughput figure [default: 2000, or 500 below 10,000 datasets].
    #[arg(long)]
    pub creates: Option<usize>,
    /// Concurrent clients for the second `package_create` figure.
    #[arg(long, default_value_t = 4)]
    pub clients: usize,
    /// Skip the large-upload measurement.
    #[arg(long)]
    pub skip_upload: bool,
    /// Size of the uploaded file, MiB.
    #[arg(long, default_value_t = 1024)]
    pub upload_size_mib: u64,
    /// Send no browser headers (no `Accept-Encoding`): the plain path, to compare with what
    /// browsers meet.
    #[arg(long)]
    pub plain_client: bool,
    /// Extra environment for every server invocation, KEY=VALUE (repeatable),
    /// e.g. a larger upload limit or RUST_LOG=warn.
    #[arg(long = "server-env", value_name = "KEY=VALUE")]
    pub server_env: Vec<String>,
    /// Skip the search figures (package_search latency and throughput, deep
    /// paging, index size, reindex, PostgreSQL comparison).
    #[arg(long)]
    pub skip_search: bool,
    /// Skip the PostgreSQL full-text search comparison.
    #[arg(long)]
    pub skip_pg_fts: bool,
    /// Skip `dataportal reindex` (which stops and restarts the server).
    #[arg(long)]
    pub skip_reindex: bool,
    /// Skip the `package_search` figures without the result cache (taken last, on a server
    /// restarted with `search.cache_entries = 0`).
    #[arg(long)]
    pub skip_uncached: bool,
    /// Skip the web page figures (home, search and dataset pages).
    #[arg(long)]
    pub skip_pages: bool,
    /// Skip the full DCAT export (RDF/XML of every dataset).
    #[arg(long)]
    pub skip_dcat: bool,
    /// Skip the harvest figures (a second dataportal pulls every dataset; the benchmark
    /// server pushes every dataset to a third, then again with nothing changed).
    #[arg(long)]
    pub skip_harvest: bool,
    /// `package_search` requests for the single-client latency [default: 5000, or 2000 below 10,000 datasets].
    #[arg(long)]
    pub search_requests: Option<usize>,
    /// Concurrent clients for the `package_search` throughput figure.
    #[arg(long, default_value_t = 16)]
    pub search_clients: usize,
    /// Seconds of the `package_search` throughput run.
    #[arg(long, default_value_t = 10)]
    pub search_secs: u64,
    /// PostgreSQL server for the full-text search comparison (no database:
    /// the harness creates and drops its own, dp_bench_fts).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pub pg_fts_url: String,
    /// Seconds to wait for the server to answer status_show.
    #[arg(long, default_value_t = 300)]
    pub ready_timeout_secs: u64,
}

/// Relative paths are tried against the current directory first, then the
/// workspace root, so the defaults work from the root (`cargo run -p …`) and
/// from inside bench/.
pub fn resolve(path: &Path) -> PathBuf {
    if path.is_absolute() || path.exists() {
        return path.to_path_buf();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    if root.exists() {
        root
    } else {
        path.to_path_buf()
    }
}

fn corpus(args: &CorpusArgs) -> Result<()> {
    let fixture = corpus::load_fixture(&resolve(&args.fixture))?;
    let mut gen = corpus::Generator::new(fixture, args.seed)?;
    let names = corpus::write_corpus(&mut gen, args.count, &args.out)
        .with_context(|| format!("writing the corpus to {}", args.out.display()))?;
    eprintln!("wrote {} datasets to {}", names.len(), args.out.display());
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Corpus(args) => corpus(args).map(|()| true),
        Command::Run(args) => run::run(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        // Figures were printed; some missed their goal or failed.
        Ok(false) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
