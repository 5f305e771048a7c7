//! Persisted background jobs, in crates.io's manner: a job is a row of the `jobs` table with a
//! typed kind and a JSON payload, claimed by one runner at a time, retried with exponential
//! backoff when its failure is transient, and resumed by another runner when the process that
//! held it died (its heartbeat stops, its lock goes stale). The server starts a runner and a
//! scheduler; the command line runs a job with the same runner.
//!
//! A job must be idempotent: it may run again after a crash at any point. Harvest runs are,
//! by their per-dataset outcomes (see `harvest::run`).

pub mod queue;
mod runner;
pub mod scheduler;

pub use runner::{run_in_background, run_one, worker_name, JobError, Lease};
