//! Seeds the sandbox from the STORELENS_* environment and prints the report as JSON.
//! `cargo run -p storelens-sandbox --example seed [-- --large]` (the CLI's
//! `storelens sandbox seed` does the same).

use storelens_sandbox::{seed, SandboxTargets, SeedOptions, SeedSize};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut opts = SeedOptions::default();
    if std::env::args().any(|a| a == "--large") {
        opts.size = SeedSize::Large;
    }
    let targets = SandboxTargets::from_env()?;
    let start = std::time::Instant::now();
    let progress = move |line: &str| eprintln!("[{:>7.1}s] {line}", start.elapsed().as_secs_f64());
    let report = seed(&targets, &opts, &progress).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
