//! Throwaway Redis servers for tests that stop a server, fill one with odd keys, or need a
//! cluster: `redis-server` (installed by `scripts/stack`) on a free loopback port, in a temp
//! dir, killed on drop. Tests that share the stack's Redis never stop or pollute it.
//!
//! The port is chosen when the server starts, not fixed: a fixed port in the ephemeral range
//! may be the local end of some other connection at that moment, and the server cannot bind.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use storelens_core::connection::RedisEndpoint;

pub struct TempRedis {
    pub port: u16,
    dir: tempfile::TempDir,
    cluster: bool,
    child: Option<Child>,
}

impl TempRedis {
    /// Starts a server on a free port (a cluster node when `cluster`); another port when the
    /// one chosen is taken before the server binds it.
    pub fn start(cluster: bool) -> Self {
        let mut server = Self {
            port: 0,
            dir: tempfile::tempdir().expect("tempdir"),
            cluster,
            child: None,
        };
        for _ in 0..5 {
            server.port = free_port(cluster);
            if server.spawn() {
                return server;
            }
        }
        panic!("redis-server could not bind a free port in 5 tries");
    }

    /// Restarts the server on its port; it comes back empty.
    pub fn restart(&mut self) {
        assert!(
            self.spawn(),
            "redis-server did not start again on port {}",
            self.port
        );
    }

    /// Starts the server on its port: whether it answers (it exits at once when it cannot
    /// bind).
    fn spawn(&mut self) -> bool {
        let mut cmd = Command::new("redis-server");
        cmd.args([
            "--port",
            &self.port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        .args(["--appendonly", "no", "--protected-mode", "no"])
        .arg("--dir")
        .arg(self.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if self.cluster {
            cmd.args(["--cluster-enabled", "yes", "--cluster-node-timeout", "5000"]);
        }
        self.child = Some(
            cmd.spawn()
                .expect("redis-server (installed by scripts/stack)"),
        );
        let start = Instant::now();
        loop {
            if self.cli(&["ping"]).trim() == "PONG" {
                return true;
            }
            let exited = self
                .child
                .as_mut()
                .is_some_and(|c| c.try_wait().ok().flatten().is_some());
            if exited {
                self.child = None;
                return false;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for redis-server to answer on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `redis-cli -p port args...`, its output.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn endpoint(&self) -> RedisEndpoint {
        RedisEndpoint {
            urls: vec![self.url()],
            cluster: self.cluster,
            username: None,
            scratch_db: None,
        }
    }

    pub fn client(&self) -> redis::Client {
        redis::Client::open(self.url()).expect("client")
    }
}

impl Drop for TempRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A loopback port nothing listens on now; for a cluster node, its bus port (10000 above) too.
fn free_port(cluster: bool) -> u16 {
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let bus_free = || {
            port.checked_add(10_000)
                .is_some_and(|bus| std::net::TcpListener::bind(("127.0.0.1", bus)).is_ok())
        };
        if !cluster || bus_free() {
            return port;
        }
    }
}

/// Three masters, slots assigned, `cluster_state:ok` everywhere.
pub fn cluster() -> Vec<TempRedis> {
    let nodes: Vec<TempRedis> = (0..3).map(|_| TempRedis::start(true)).collect();
    let addrs: Vec<String> = nodes
        .iter()
        .map(|n| format!("127.0.0.1:{}", n.port))
        .collect();
    let status = Command::new("redis-cli")
        .args(["--cluster", "create"])
        .args(&addrs)
        .args(["--cluster-replicas", "0", "--cluster-yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("redis-cli --cluster create");
    assert!(status.success(), "redis-cli --cluster create failed");
    for n in &nodes {
        wait_until(
            || n.cli(&["cluster", "info"]).contains("cluster_state:ok"),
            "the cluster to be ok",
        );
    }
    nodes
}

fn wait_until(mut ready: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
