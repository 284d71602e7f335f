//! `storelens cache scan|keys|get|audit`: the cache's namespace tree with complete counts, the
//! keys of a folder, a key's value by type, and a tenant's cache audit. `audit` exits 1 when it
//! finds something (stale, orphaned, or no TTL where one is mandatory).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use storelens_core::cache::browse::KeyPageRequest;
use storelens_core::cache::monitor::{MonitorBatch, MonitorMessage};
use storelens_core::cache::scan::{KeyScan, ScanRequest};
use storelens_core::cache::value::{Cell, KeyValue, ValueRequest, ValueView};
use storelens_core::cache::KeyName;
use storelens_core::{Result, Storelens};

use crate::output::Output;

#[derive(Subcommand)]
pub enum CacheCommand {
    /// Scan the whole key space (SCAN, never KEYS) and count the keys of every namespace.
    Scan {
        /// Only this tenant's keys (id or slug).
        #[arg(long, short)]
        tenant: Option<String>,
        /// A Redis glob; with --tenant it applies after the tenant's prefix.
        #[arg(long, short)]
        pattern: Option<String>,
        /// SCAN's COUNT hint.
        #[arg(long, default_value_t = 1000)]
        count: u32,
        /// Milliseconds to wait between SCAN pages (spares a busy server).
        #[arg(long, default_value_t = 0)]
        pause_ms: u32,
        /// Namespace levels counted.
        #[arg(long, default_value_t = 6)]
        depth: u32,
        /// Subfolders listed per folder (largest first).
        #[arg(long, default_value_t = 200)]
        children: u32,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// Keys under a prefix, with type and TTL, a page at a time.
    Keys {
        #[command(flatten)]
        key: KeyArg,
        #[arg(long, short)]
        pattern: Option<String>,
        /// The previous page's `next`.
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// A key's value by its type (a page of it), TTL and length.
    Get {
        #[command(flatten)]
        key: KeyArg,
        /// The previous page's `next`.
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// Delete keys (UNLINK). A guarded write: the connection must be read-write, --unlock
    /// unlocks writes for this command, and the deletion is entered in the write log first.
    Delete {
        /// The keys, as text.
        #[arg(required = true)]
        keys: Vec<String>,
        /// Unlock writes for this command (nothing is written without it).
        #[arg(long)]
        unlock: bool,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// Print a tenant's pub/sub messages and update-stream entries as they arrive (one JSON
    /// line each with --json), for --seconds or until interrupted.
    Monitor {
        /// Tenant id or slug.
        tenant: String,
        /// Stop after this many seconds (default: run until Ctrl-C).
        #[arg(long)]
        seconds: Option<u64>,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// A tenant's keys without a mandatory TTL, and its cached entities that are stale
    /// against the read model or have no row. Exit code 1 when there is any.
    Audit {
        /// Tenant id or slug.
        tenant: String,
        #[command(flatten)]
        connection: ConnectionArg,
    },
}

#[derive(Args)]
pub struct KeyArg {
    /// The key (or prefix) as text.
    #[arg(required_unless_present = "hex")]
    key: Option<String>,
    /// The key's bytes in hex instead (for keys that are not UTF-8).
    #[arg(long, conflicts_with = "key")]
    hex: Option<String>,
}

impl KeyArg {
    fn name(self) -> KeyName {
        match self.hex {
            Some(hex) => KeyName {
                text: String::new(),
                hex: Some(hex),
            },
            None => KeyName {
                text: self.key.unwrap_or_default(),
                hex: None,
            },
        }
    }
}

#[derive(Args)]
pub struct ConnectionArg {
    /// The connection; defaults to `sandbox`, or the only connection there is.
    #[arg(long, short)]
    pub(crate) connection: Option<String>,
}

pub async fn run(app: &Storelens, command: CacheCommand, out: &Output) -> Result<ExitCode> {
    match command {
        CacheCommand::Scan {
            tenant,
            pattern,
            count,
            pause_ms,
            depth,
            children,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let request = ScanRequest {
                tenant,
                pattern,
                count: Some(count),
                pause_ms: Some(pause_ms),
                max_depth: Some(depth),
                max_children: Some(children),
            };
            let task = format!("cli-cache-scan-{}", std::process::id());
            let scan = app
                .cache_scan(&name, request, &task, |p| {
                    eprintln!(
                        "… {} keys ({} of {} nodes done)",
                        p.keys, p.nodes_done, p.nodes
                    )
                })
                .await?;
            out.print(&scan, render_scan);
        }
        CacheCommand::Keys {
            key,
            pattern,
            after,
            limit,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let page = app
                .cache_keys(
                    &name,
                    KeyPageRequest {
                        prefix: key.name(),
                        pattern,
                        after,
                        limit: Some(limit),
                    },
                )
                .await?;
            out.print(&page, |p| {
                let mut lines: Vec<String> = p
                    .keys
                    .iter()
                    .map(|k| {
                        format!(
                            "{:<7} {:>12}  {}",
                            k.kind,
                            k.ttl_ms
                                .as_deref()
                                .map_or("no TTL".to_owned(), |t| format!("{t} ms")),
                            k.key.text
                        )
                    })
                    .collect();
                if let Some(next) = &p.next {
                    lines.push(format!("more: --after {next}"));
                }
                lines.join("\n")
            });
        }
        CacheCommand::Get {
            key,
            after,
            limit,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let value = app
                .cache_value(
                    &name,
                    ValueRequest {
                        key: key.name(),
                        after,
                        limit: Some(limit),
                    },
                )
                .await?;
            out.print(&value, render_value);
        }
        CacheCommand::Delete {
            keys,
            unlock,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            if unlock {
                app.unlock_writes(&name, 1).await?;
            }
            let keys = keys
                .into_iter()
                .map(|text| KeyName { text, hex: None })
                .collect();
            let done = app.cache_delete(&name, keys).await?;
            app.lock_writes(&name);
            out.print(&done, |d| {
                format!(
                    "{} of {} keys deleted (write log entry {})",
                    d.deleted, d.requested, d.log_entry.seq
                )
            });
        }
        CacheCommand::Monitor {
            tenant,
            seconds,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let task = format!("cli-cache-monitor-{}", std::process::id());
            let json = out.json;
            let print = move |b: MonitorBatch| {
                for m in &b.messages {
                    if json {
                        crate::output::line(&serde_json::to_string(m).unwrap_or_default());
                    } else {
                        crate::output::line(&render_message(m));
                    }
                }
                if b.dropped > 0 {
                    eprintln!("… {} messages left out (too many at once)", b.dropped);
                }
            };
            let stop = async {
                match seconds {
                    Some(s) => tokio::time::sleep(std::time::Duration::from_secs(s)).await,
                    None => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
                app.cancel_task(&task);
            };
            let (summary, ()) = tokio::join!(app.cache_monitor(&name, &tenant, &task, print), stop);
            let summary = summary?;
            eprintln!(
                "{} messages received, {} left out, in {} ms",
                summary.received, summary.dropped, summary.elapsed_ms
            );
        }
        CacheCommand::Audit { tenant, connection } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let task = format!("cli-cache-audit-{}", std::process::id());
            let audit = app
                .cache_audit(&name, &tenant, &task, |p| {
                    eprintln!(
                        "… {} keys scanned, {} entities compared",
                        p.keys_scanned, p.checked
                    )
                })
                .await?;
            out.print(&audit, |a| {
                let mut lines = vec![format!(
                    "{} keys under {} ({} checked for a TTL, {} entities compared with their rows): {} findings in {} ms",
                    a.keys_scanned,
                    a.prefix,
                    a.ttl_checked,
                    a.entities_checked,
                    a.findings.len(),
                    a.elapsed_ms
                )];
                lines.extend(a.findings.iter().map(|f| {
                    format!("{:?} {:?}: {} — {}", f.severity, f.kind, f.message, f.remedy)
                }));
                lines.join("\n")
            });
            if !audit.findings.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render_scan(s: &KeyScan) -> String {
    let mut lines = vec![format!(
        "{} keys matching {} on {} ({} ms, COUNT {}, pause {} ms)",
        s.keys,
        s.pattern,
        s.nodes.join(", "),
        s.elapsed_ms,
        s.count,
        s.pause_ms
    )];
    for n in s.namespaces.iter().skip(1) {
        let hidden = match n.hidden_folders {
            0 => String::new(),
            h => format!("  (+{h} smaller folders)"),
        };
        let bytes = match (&n.bytes, s.memory_sample_every) {
            (Some(b), 1) if n.sampled_keys.to_string() == n.keys => format!("  {b} bytes"),
            (Some(b), _) => format!("  ~{b} bytes"),
            (None, _) => String::new(),
        };
        lines.push(format!(
            "{}{}  {}{bytes}{hidden}",
            "  ".repeat(n.depth as usize - 1),
            n.prefix.text,
            n.keys
        ));
    }
    if !s.big_keys.is_empty() {
        lines.push(format!(
            "biggest keys (of those sized, 1 in {}):",
            s.memory_sample_every
        ));
        lines.extend(
            s.big_keys
                .iter()
                .map(|b| format!("  {}  {} bytes", b.key.text, b.bytes)),
        );
    }
    lines.join("\n")
}

fn render_value(v: &KeyValue) -> String {
    let ttl = v
        .ttl_ms
        .as_deref()
        .map_or("no TTL".to_owned(), |t| format!("TTL {t} ms"));
    let length = v
        .length
        .as_deref()
        .map_or(String::new(), |l| format!(", length {l}"));
    let mut lines = vec![format!("{} ({}, {ttl}{length})", v.key.text, v.kind)];
    let cell = |c: &Cell| {
        if c.truncated {
            format!("{}… [cut: {} bytes]", c.text, c.bytes)
        } else {
            c.text.clone()
        }
    };
    match &v.value {
        ValueView::Missing => lines.push("(no such key)".into()),
        ValueView::String {
            bytes_shown,
            truncated,
            text,
            json,
            hex,
        } => {
            match (json, text, hex) {
                (Some(j), _, _) => lines.push(serde_json::to_string_pretty(j).unwrap_or_default()),
                (None, Some(t), _) => lines.push(t.clone()),
                (None, None, Some(h)) => lines.push(format!("hex: {h}")),
                _ => {}
            }
            if *truncated {
                lines.push(format!("[cut: first {bytes_shown} bytes shown]"));
            }
        }
        ValueView::Hash { fields } => lines.extend(
            fields
                .iter()
                .map(|(f, x)| format!("{} = {}", cell(f), cell(x))),
        ),
        ValueView::List { offset, items } => {
            let start: usize = offset.parse().unwrap_or(0);
            lines.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| format!("{}: {}", start + i, cell(x))),
            )
        }
        ValueView::Set { members } => lines.extend(members.iter().map(cell)),
        ValueView::Zset { members, .. } => lines.extend(
            members
                .iter()
                .map(|m| format!("{} {}", m.score, cell(&m.member))),
        ),
        ValueView::Stream { entries, groups } => {
            for e in entries {
                let fields: Vec<String> = e
                    .fields
                    .iter()
                    .map(|(f, x)| format!("{}={}", cell(f), cell(x)))
                    .collect();
                lines.push(format!("{} {}", e.id, fields.join(" ")));
            }
            for g in groups {
                lines.push(format!(
                    "group {}: {} consumers, {} pending, last delivered {}",
                    g.name, g.consumers, g.pending, g.last_delivered_id
                ));
            }
        }
        ValueView::Other { type_name } => lines.push(format!("(a {type_name}: not shown)")),
    }
    if let Some(next) = &v.next {
        lines.push(format!("more: --after {next}"));
    }
    lines.join("\n")
}

fn render_message(m: &MonitorMessage) -> String {
    match m {
        MonitorMessage::Pubsub { channel, payload } => {
            format!("pubsub {channel}: {}", payload.text)
        }
        MonitorMessage::Stream { key, id, fields } => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(f, v)| format!("{}={}", f.text, v.text))
                .collect();
            format!("stream {key} {id} {}", fields.join(" "))
        }
    }
}
