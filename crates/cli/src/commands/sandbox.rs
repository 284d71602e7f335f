use std::process::ExitCode;

use clap::Subcommand;
use storelens_core::{Error, Result};
use storelens_sandbox::{SandboxTargets, SeedOptions, SeedSize};

use crate::output::Output;

#[derive(Subcommand)]
pub enum SandboxCommand {
    /// Reset and seed the sandbox platform from the STORELENS_* endpoints (see `scripts/stack env`).
    Seed {
        /// At least 1,000 tenants, 1M events, 1M Redis keys, 100k nodes: for benchmarks.
        #[arg(long)]
        large: bool,
        /// RNG seed; the same seed gives the same platform.
        #[arg(long)]
        rng_seed: Option<u64>,
    },
    /// Seed the second fixture platform, "orgs" (`profiles/orgs.toml`), next to the sandbox.
    ///
    /// Database storelens_orgs, graph database orgs, Redis database 1, buckets orgs-<handle>.
    /// Replaces only its own data; the sandbox is left alone.
    SeedOrgs,
}

pub async fn run(command: SandboxCommand, out: &Output) -> Result<ExitCode> {
    match command {
        SandboxCommand::Seed { large, rng_seed } => {
            let targets =
                SandboxTargets::from_env().map_err(|e| Error::Config(format!("{e:#}")))?;
            let mut opts = SeedOptions::default();
            if large {
                opts.size = SeedSize::Large;
            }
            if let Some(seed) = rng_seed {
                opts.rng_seed = seed;
            }
            let json = out.json;
            let progress = move |line: &str| {
                if !json {
                    eprintln!("seed: {line}");
                }
            };
            let report = storelens_sandbox::seed(&targets, &opts, &progress)
                .await
                .map_err(|e| Error::Internal(format!("seeding failed: {e:#}")))?;
            out.print(&report, |r| {
                format!(
                    "seeded {} tenants, {} events, {} rows, {} nodes, {} relationships, {} keys, {} objects in {} ms ({} planted faults)",
                    r.tenants, r.events, r.read_model_rows, r.graph_nodes, r.graph_relationships, r.redis_keys, r.objects, r.elapsed_ms, r.planted_faults.len()
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::SeedOrgs => {
            let targets =
                SandboxTargets::from_env().map_err(|e| Error::Config(format!("{e:#}")))?;
            let json = out.json;
            let progress = move |line: &str| {
                if !json {
                    eprintln!("seed: {line}");
                }
            };
            let report = storelens_sandbox::orgs::seed_orgs(&targets, &progress)
                .await
                .map_err(|e| Error::Internal(format!("seeding the orgs platform failed: {e:#}")))?;
            out.print(&report, |r| {
                let mut line = format!(
                    "seeded {} orgs, {} events, {} rows, {} nodes, {} relationships, {} keys, {} objects in {} buckets in {} ms",
                    r.orgs, r.events, r.rows, r.graph_nodes, r.graph_relationships, r.redis_keys, r.objects, r.buckets.len(), r.elapsed_ms
                );
                if let Some(why) = &r.redis_skipped {
                    line.push_str(&format!(" ({why})"));
                }
                line
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}
