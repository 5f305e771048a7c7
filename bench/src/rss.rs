//! Resident memory of the server process, from Linux's /proc/PID/status.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};

/// Reads a `Vm*:` line (in KiB) of /proc/PID/status, e.g. "VmRSS" or "VmHWM".
pub fn status_kib(pid: u32, field: &str) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    status
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix(field)?.strip_prefix(':')?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .ok_or_else(|| anyhow!("no {field} in {path}"))
}

/// Current resident set size of `pid`, KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    status_kib(pid, "VmRSS")
}

/// Resets the kernel's peak-RSS counter (VmHWM) of `pid` to the current RSS
/// by writing "5" to /proc/PID/clear_refs (Linux ≥ 4.0, same user). Lets us
/// read an exact peak afterwards that 50 ms sampling could miss. Returns
/// whether it worked; sampling alone is the fallback.
pub fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// What a [`Sampler`] saw.
#[derive(Debug, Clone, Copy)]
pub struct Samples {
    /// Highest VmRSS read, KiB.
    pub peak_kib: u64,
    /// Number of successful reads.
    pub count: usize,
}

/// Reads VmRSS of a process every `interval` on a background thread until
/// [`Sampler::finish`] is called.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Samples>,
}

impl Sampler {
    /// Starts sampling `pid`.
    pub fn start(pid: u32, interval: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut samples = Samples {
                peak_kib: 0,
                count: 0,
            };
            loop {
                // A failed read (process gone) simply adds no sample; the
                // caller notices a dead server through its HTTP request.
                if let Ok(kib) = rss_kib(pid) {
                    samples.peak_kib = samples.peak_kib.max(kib);
                    samples.count += 1;
                }
                if flag.load(Ordering::Relaxed) {
                    return samples;
                }
                std::thread::sleep(interval);
            }
        });
        Self { stop, handle }
    }

    /// Stops sampling (after one last read) and returns what was seen.
    pub fn finish(self) -> Result<Samples> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .join()
            .map_err(|_| anyhow!("the RSS sampler thread panicked"))
    }
}

/// KiB as MiB for display.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_rss() {
        let pid = std::process::id();
        let kib = rss_kib(pid).expect("VmRSS of this test process");
        assert!(kib > 0);
        let sampler = Sampler::start(pid, Duration::from_millis(5));
        std::thread::sleep(Duration::from_millis(30));
        let samples = sampler.finish().expect("sampler");
        assert!(samples.count >= 2 && samples.peak_kib > 0);
    }
}
