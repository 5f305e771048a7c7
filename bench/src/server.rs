//! Driving the `dataportal` binary: one-shot subcommands and the `serve`
//! process, which is always killed when its guard is dropped (also on error).

use std::fs::File;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::http::Conn;

/// How to invoke the server binary: path, data directory, database, and extra
/// environment (e.g. `DATAPORTAL__…` settings) passed to every invocation.
#[derive(Clone)]
pub struct ServerCli {
    /// Path of the `dataportal` binary.
    pub bin: PathBuf,
    /// `--data-dir` for every subcommand.
    pub data_dir: PathBuf,
    /// `--database-url`, when not the default SQLite file.
    pub database_url: Option<String>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
}

impl ServerCli {
    /// The same invocation with one more environment variable (later entries win).
    pub fn with_env(&self, key: &str, value: &str) -> ServerCli {
        let mut cli = self.clone();
        cli.env.push((key.to_owned(), value.to_owned()));
        cli
    }

    /// A command for `args` followed by the common `--data-dir`/`--database-url`
    /// flags (after the subcommand path, where the contract accepts them).
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args).arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs a subcommand to completion, feeding `stdin` if given, and returns
    /// its stdout; a non-zero exit is an error carrying stderr.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Result<String> {
        let what = format!("{} {}", self.bin.display(), args.join(" "));
        let mut child = self
            .command(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {what}"))?;
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // Dropping the pipe afterwards closes it, so the child sees EOF.
            writeln!(pipe, "{input}").with_context(|| format!("writing stdin of {what}"))?;
        }
        let out = child
            .wait_with_output()
            .with_context(|| format!("waiting for {what}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!(
                "{what} failed ({}):\n{}{}",
                out.status,
                stdout,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(stdout)
    }

    /// Starts `dataportal serve --bind ADDR`, its output going to `log`.
    pub fn spawn_serve(&self, addr: SocketAddr, log: &Path) -> Result<ServerProcess> {
        let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone().context("duplicating the log handle")?;
        let bind = addr.to_string();
        let child = self
            .command(&["serve", "--bind", &bind])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("starting {} serve", self.bin.display()))?;
        Ok(ServerProcess {
            child,
            addr,
            log: log.to_path_buf(),
        })
    }
}

/// A free TCP port on 127.0.0.1 (there is a small window in which another
/// process could take it; acceptable for a benchmark).
pub fn free_local_addr() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?)
}

/// A running `dataportal serve`; killed and reaped on drop.
pub struct ServerProcess {
    child: Child,
    /// Address the server listens on.
    pub addr: SocketAddr,
    log: PathBuf,
}

impl ServerProcess {
    /// Process id, for /proc readings.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `status_show` until it answers with success, the process exits,
    /// or `timeout` passes. Returns the time it took.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<Duration> {
        let start = Instant::now();
        let mut last_error = String::from("no answer yet");
        while start.elapsed() < timeout {
            self.ensure_running()?;
            let mut conn = Conn::new(self.addr);
            match conn.get("/api/3/action/status_show") {
                Ok(resp) if resp.status == 200 => match resp.json() {
                    Ok(v) if v["success"] == true => return Ok(start.elapsed()),
                    Ok(v) => last_error = format!("unexpected reply {v}"),
                    Err(e) => last_error = format!("{e:#}"),
                },
                Ok(resp) => last_error = format!("HTTP {}", resp.status),
                Err(e) => last_error = format!("{e:#}"),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!(
            "server not ready after {timeout:?} ({last_error}); log tail:\n{}",
            self.log_tail()
        )
    }

    /// Stops the server gracefully (SIGTERM, so it can close its index
    /// writer) and waits up to 30 s before killing it; returns how long the
    /// stop took.
    pub fn stop(mut self) -> Result<Duration> {
        let start = Instant::now();
        let pid = self.pid().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if sent.is_ok_and(|s| s.success()) {
            while start.elapsed() < Duration::from_secs(30) {
                if self.child.try_wait()?.is_some() {
                    return Ok(start.elapsed());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        // Drop kills it.
        bail!("the server did not stop on SIGTERM; killed")
    }

    /// An error (with the log tail) if the server process has exited.
    pub fn ensure_running(&mut self) -> Result<()> {
        if let Some(status) = self
            .child
            .try_wait()
            .context("checking the server process")?
        {
            bail!(
                "the server exited ({status}); log tail:\n{}",
                self.log_tail()
            );
        }
        Ok(())
    }

    /// The whole server log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last couple of kilobytes of the server log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut start = text.len().saturating_sub(2048);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text[start..].to_string()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // SIGKILL: the figures are already taken; a graceful stop is not part
        // of the benchmark. Errors mean the process is already gone.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
