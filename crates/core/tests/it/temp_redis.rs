//! Throwaway Redis servers for tests that stop a server, fill one with odd keys, or need a
//! cluster: `redis-server` (installed by `scripts/stack`) on a fixed loopback port, in a temp
//! dir, killed on drop. Tests that share the stack's Redis never stop or pollute it.

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
    /// Starts a server on `port` (a cluster node when `cluster`).
    pub fn start(port: u16, cluster: bool) -> Self {
        let mut server = Self {
            port,
            dir: tempfile::tempdir().expect("tempdir"),
            cluster,
            child: None,
        };
        server.restart();
        server
    }

    /// (Re)starts the server on its port; it comes back empty.
    pub fn restart(&mut self) {
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
        wait_until(
            || self.cli(&["ping"]).trim() == "PONG",
            "redis-server to answer",
        );
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

/// Three masters on `ports`, slots assigned, `cluster_state:ok` everywhere.
pub fn cluster(ports: [u16; 3]) -> Vec<TempRedis> {
    let nodes: Vec<TempRedis> = ports.iter().map(|&p| TempRedis::start(p, true)).collect();
    let addrs: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
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
