//! Compatibility with the real CKAN client library: Python `ckanapi` from PyPI drives the
//! portal (installed once into the build's temp folder).

use std::path::PathBuf;
use std::process::Command;

use crate::both_backends;
use crate::helpers::{spawn_app, Backend};

both_backends!(ckanapi_works_unchanged);

/// A folder holding `ckanapi`, installed with pip on first use.
fn ckanapi_packages() -> PathBuf {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ckanapi-packages");
    if target.join("ckanapi").exists() {
        return target;
    }
    // Install beside, then rename: parallel test processes never see a half-installed folder.
    let staging = target.with_extension(format!("partial-{}", std::process::id()));
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&staging)
        .arg("ckanapi==4.8")
        .status()
        .expect("python3 with pip is needed for the ckanapi compatibility test");
    assert!(status.success(), "pip install ckanapi failed");
    if std::fs::rename(&staging, &target).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    target
}

async fn ckanapi_works_unchanged(backend: Backend) {
    let packages = tokio::task::spawn_blocking(ckanapi_packages).await.unwrap();
    let app = spawn_app(backend).await;
    let output = tokio::process::Command::new("python3")
        .arg("tests/ckanapi_client.py")
        .env("PYTHONPATH", &packages)
        .env("DATAPORTAL_URL", &app.address)
        .env("DATAPORTAL_TOKEN", &app.admin_token)
        .env("FIXTURE", "demo/vn-wards-2025.csv")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "ckanapi script failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("OK ckanapi"), "{stdout}");
}
