//! The large-upload measurement: a pseudo-random file streamed through
//! `resource_create` while the server's memory is watched.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use reqwest::blocking::multipart::{Form, Part};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::rss::{self, Sampler};

/// A file on disk with its known size and SHA-256.
#[derive(Debug, Clone)]
pub struct UploadFile {
    /// Location.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
}

/// Returns `dir/upload-{mib}MiB-seed{seed}.bin`, writing it first unless it
/// and its `.sha256` sidecar ("HEX SIZE") already exist, so repeated runs do
/// not pay for a gigabyte of writes. Pseudo-random content rather than a
/// sparse file: zeros would let compression or deduplication flatter us.
/// Written in 1 MiB blocks and hashed on the way, never held in memory.
pub fn prepare_file(dir: &Path, mib: u64, seed: u64) -> Result<UploadFile> {
    let path = dir.join(format!("upload-{mib}MiB-seed{seed}.bin"));
    let sidecar = path.with_extension("bin.sha256");
    let size = mib * 1024 * 1024;
    if let (Ok(meta), Ok(text)) = (std::fs::metadata(&path), std::fs::read_to_string(&sidecar)) {
        let mut parts = text.split_whitespace();
        if let (Some(hex), Some(len)) = (parts.next(), parts.next()) {
            if meta.len() == size && len == size.to_string() && hex.len() == 64 {
                return Ok(UploadFile {
                    path,
                    size,
                    sha256: hex.to_string(),
                });
            }
        }
    }
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(file);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1024 * 1024];
    for _ in 0..mib {
        rng.fill_bytes(&mut block);
        hasher.update(&block);
        w.write_all(&block)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    let sha256 = to_hex(&hasher.finalize());
    std::fs::write(&sidecar, format!("{sha256} {size}\n"))
        .with_context(|| format!("writing {}", sidecar.display()))?;
    Ok(UploadFile { path, size, sha256 })
}

/// Lowercase hex of `bytes`.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one upload measured.
#[derive(Debug)]
pub struct Outcome {
    /// Request start to complete response.
    pub elapsed: Duration,
    /// Server VmRSS just before the upload, KiB.
    pub base_kib: u64,
    /// Highest server VmRSS during the upload, KiB (sampled every 50 ms, and
    /// the kernel's exact peak when it could be reset beforehand).
    pub peak_kib: u64,
    /// RSS samples taken.
    pub samples: usize,
    /// Whether the kernel's peak counter was used as well as sampling.
    pub exact_peak: bool,
    /// `Ok` if the returned `size` and `hash` match the file, else why not.
    pub verified: Result<()>,
}

impl Outcome {
    /// Upload throughput, MiB/s.
    pub fn mib_per_s(&self, size: u64) -> f64 {
        size as f64 / 1_048_576.0 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Streams `file` to `resource_create` as the `upload` field of a multipart
/// form (with `package_id` and `name`), sampling the server's memory.
pub fn upload(
    addr: SocketAddr,
    pid: u32,
    token: &str,
    package_id: &str,
    file: &UploadFile,
) -> Result<Outcome> {
    // No overall timeout: a gigabyte may legitimately take minutes.
    let client = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .context("building the HTTP client")?;
    let body =
        File::open(&file.path).with_context(|| format!("opening {}", file.path.display()))?;
    // A reader part with a known length: reqwest streams it from the file and
    // still sends a Content-Length for the whole form.
    let part = Part::reader_with_length(body, file.size)
        .file_name("bench-upload.bin")
        .mime_str("application/octet-stream")
        .context("multipart part")?;
    // Text fields first, so a streaming server knows the dataset before the file.
    let form = Form::new()
        .text("package_id", package_id.to_string())
        .text(
            "name",
            format!("Tệp thử nghiệm tải lên {} MiB", file.size >> 20),
        )
        .part("upload", part);

    let base_kib = rss::rss_kib(pid)?;
    let exact_peak = rss::reset_peak(pid);
    let sampler = Sampler::start(pid, Duration::from_millis(50));
    let start = Instant::now();
    let sent = client
        .post(format!("http://{addr}/api/3/action/resource_create"))
        .header("Authorization", token)
        .multipart(form)
        .send()
        .and_then(|resp| {
            let status = resp.status();
            resp.text().map(|text| (status, text))
        });
    let elapsed = start.elapsed();
    let samples = sampler.finish()?;
    let (status, text) = sent.context("resource_create upload")?;

    let mut peak_kib = samples.peak_kib;
    if exact_peak {
        peak_kib = peak_kib.max(rss::status_kib(pid, "VmHWM")?);
    }
    let reply: Value = serde_json::from_str(&text).with_context(|| {
        let start: String = text.chars().take(300).collect();
        format!("resource_create HTTP {status}: {start}")
    })?;
    if !status.is_success() || reply["success"] != true {
        bail!("resource_create HTTP {status}: {}", reply["error"]);
    }
    Ok(Outcome {
        elapsed,
        base_kib,
        peak_kib,
        samples: samples.count,
        exact_peak,
        verified: verify(&reply["result"], file),
    })
}

/// Compares the resource's `size` and `hash` with the file's. `size` may be a
/// number or a numeric string; `hash` may be "sha256:<hex>" or bare hex.
fn verify(resource: &Value, file: &UploadFile) -> Result<()> {
    let size = match &resource["size"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    if size != Some(file.size) {
        bail!("size {} ≠ {}", resource["size"], file.size);
    }
    let hash = resource["hash"].as_str().unwrap_or_default();
    let hex = hash.strip_prefix("sha256:").unwrap_or(hash);
    if !hex.eq_ignore_ascii_case(&file.sha256) {
        bail!("hash {hash:?} ≠ sha256 {}", file.sha256);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_is_generated_once_with_its_hash() {
        let dir =
            std::env::temp_dir().join(format!("dataportal-bench-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let first = prepare_file(&dir, 2, 9).expect("file");
        assert_eq!(std::fs::metadata(&first.path).expect("meta").len(), 2 << 20);
        let content = std::fs::read(&first.path).expect("read");
        assert_eq!(to_hex(&Sha256::digest(&content)), first.sha256);
        let again = prepare_file(&dir, 2, 9).expect("cached file");
        assert_eq!(again.sha256, first.sha256);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn verify_accepts_both_hash_forms() {
        let file = UploadFile {
            path: PathBuf::new(),
            size: 10,
            sha256: "ab".repeat(32),
        };
        let hex = "AB".repeat(32);
        assert!(verify(
            &json!({"size": 10, "hash": format!("sha256:{}", "ab".repeat(32))}),
            &file
        )
        .is_ok());
        assert!(verify(&json!({"size": "10", "hash": hex}), &file).is_ok());
        assert!(verify(&json!({"size": 11, "hash": "ab".repeat(32)}), &file).is_err());
        assert!(verify(&json!({"size": 10, "hash": "cd".repeat(32)}), &file).is_err());
    }
}
