//! The real server as a child process: start on a data folder (and a PostgreSQL database),
//! wait until it answers, kill it with SIGKILL, restart it, stop it with SIGTERM; and the
//! CPU and memory figures the kernel keeps for it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::process::{Child, Command};

#[derive(Debug, Clone)]
pub struct ServerSpec {
    pub binary: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub port: u16,
    pub worker: bool,
}

pub struct Server {
    pub spec: ServerSpec,
    child: Option<Child>,
    pub pid: u32,
    /// CPU seconds of the processes that ended (a killed instance), added to the live one's.
    pub cpu_done: f64,
    /// Highest resident memory seen among the instances, in bytes.
    pub peak_rss_done: u64,
    pub starts: u32,
}

/// A free TCP port on 127.0.0.1 (the server binds it right after; the same port is reused on
/// restart so that clients keep their address).
pub fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

impl Server {
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.spec.port)
    }

    pub async fn start(spec: ServerSpec) -> Result<Server> {
        let mut s = Server {
            spec,
            child: None,
            pid: 0,
            cpu_done: 0.0,
            peak_rss_done: 0,
            starts: 0,
        };
        s.spawn().await?;
        Ok(s)
    }

    async fn spawn(&mut self) -> Result<Duration> {
        let t0 = Instant::now();
        self.starts += 1;
        let log = self
            .spec
            .data_dir
            .parent()
            .unwrap_or(Path::new("/tmp"))
            .join(format!("server-{}.log", self.starts));
        let out = std::fs::File::create(&log).with_context(|| format!("{}", log.display()))?;
        let err = out.try_clone()?;
        let mut cmd = Command::new(&self.spec.binary);
        cmd.arg("serve")
            .arg("--demo")
            .arg("--addr")
            .arg(format!("127.0.0.1:{}", self.spec.port))
            .arg("--data")
            .arg(&self.spec.data_dir)
            .env("HOITHI_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .kill_on_drop(true);
        if let Some(url) = &self.spec.database_url {
            cmd.arg("--database-url").arg(url);
        }
        if !self.spec.worker {
            cmd.arg("--no-worker");
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {}", self.spec.binary.display()))?;
        self.pid = child.id().unwrap_or(0);
        self.child = Some(child);
        self.wait_ready(Duration::from_secs(180), &log).await?;
        Ok(t0.elapsed())
    }

    async fn wait_ready(&mut self, limit: Duration, log: &Path) -> Result<()> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()?;
        let url = format!("{}/healthz", self.base_url());
        let t0 = Instant::now();
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                let tail = std::fs::read_to_string(log).unwrap_or_default();
                bail!("the server exited during start-up ({status}):\n{tail}");
            }
            if let Ok(r) = client.get(&url).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            if t0.elapsed() > limit {
                bail!("the server did not answer {url} within {limit:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn account_ended(&mut self) {
        if let Some(p) = proc_stats(self.pid) {
            self.cpu_done += p.cpu_seconds;
            self.peak_rss_done = self.peak_rss_done.max(p.peak_rss);
        }
    }

    /// CPU seconds used by every instance so far.
    pub fn cpu_seconds(&self) -> f64 {
        self.cpu_done + proc_stats(self.pid).map(|p| p.cpu_seconds).unwrap_or(0.0)
    }

    pub fn peak_rss(&self) -> u64 {
        self.peak_rss_done
            .max(proc_stats(self.pid).map(|p| p.peak_rss).unwrap_or(0))
    }

    /// SIGKILL: no shutdown code runs, exactly like a power cut for the process.
    pub async fn kill9(&mut self) -> Result<()> {
        self.account_ended();
        if let Some(mut child) = self.child.take() {
            child.start_kill()?;
            child.wait().await?;
        }
        Ok(())
    }

    /// Starts a new instance on the same data; returns how long it took to answer.
    pub async fn restart(&mut self) -> Result<Duration> {
        self.spawn().await
    }

    /// SIGTERM, then wait for the graceful stop (SIGKILL after `grace`).
    pub async fn stop(&mut self, grace: Duration) -> Result<()> {
        self.account_ended();
        if let Some(mut child) = self.child.take() {
            if let Some(pid) = child.id() {
                // SAFETY: sending a signal to our own child process; no memory is involved.
                unsafe {
                    libc::kill(pid as libc::pid_t, libc::SIGTERM);
                }
            }
            if tokio::time::timeout(grace, child.wait()).await.is_err() {
                child.start_kill()?;
                child.wait().await?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ProcStats {
    pub cpu_seconds: f64,
    pub peak_rss: u64,
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf only reads a system constant.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

/// User + system CPU seconds and peak resident memory of a live process.
pub fn proc_stats(pid: u32) -> Option<ProcStats> {
    if pid == 0 {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let peak_kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some(ProcStats {
        cpu_seconds: (utime + stime) / clock_ticks(),
        peak_rss: peak_kb * 1024,
    })
}

/// CPU seconds of this process (the load tool itself).
pub fn self_cpu_seconds() -> f64 {
    proc_stats(std::process::id())
        .map(|p| p.cpu_seconds)
        .unwrap_or(0.0)
}

/// CPU seconds of every process named `postgres` on the machine (shared with other users of
/// the same cluster, so an upper bound for this run).
pub fn postgres_cpu_seconds() -> f64 {
    let mut total = 0.0;
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres"
            && let Some(p) = proc_stats(pid)
        {
            total += p.cpu_seconds;
        }
    }
    total
}

/// Busy and total jiffies of the whole machine (from /proc/stat), to tell how loaded it was.
pub fn machine_jiffies() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = s.lines().next() else {
        return (0, 0);
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: u64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    (total - idle, total)
}
