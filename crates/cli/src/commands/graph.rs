//! `storelens graph search|expand|path`: a tenant's graph nodes by id or name, their
//! neighbourhood k hops deep, and shortest paths between two of them. Cross-tenant
//! relationships are printed with `BREACH`; `--json` prints the whole view.

use std::process::ExitCode;

use clap::Subcommand;
use storelens_core::graph::expand::ExpandRequest;
use storelens_core::graph::path::PathRequest;
use storelens_core::graph::search::SearchRequest;
use storelens_core::graph::{Direction, GraphView, NodeRef};
use storelens_core::{Result, Storelens};

use super::cache::ConnectionArg;
use crate::output::Output;

#[derive(Subcommand)]
pub enum GraphCommand {
    /// A tenant's nodes by exact id, or by part of the profile's search properties.
    Search {
        text: String,
        #[arg(long, short)]
        tenant: String,
        /// Only nodes of this label.
        #[arg(long, short)]
        label: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// A node's neighbourhood, hop by hop, inside the tenant.
    Expand {
        /// The node's id property.
        node_id: String,
        #[arg(long, short)]
        tenant: String,
        /// The node's label (default: every entity label of the profile is tried).
        #[arg(long, short)]
        label: Option<String>,
        #[arg(long, default_value_t = 1)]
        hops: u8,
        /// Only neighbours with this label (repeatable).
        #[arg(long = "only-label")]
        only_labels: Vec<String>,
        /// Only relationships of this type (repeatable).
        #[arg(long = "type")]
        types: Vec<String>,
        #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
        direction: DirectionArg,
        /// Relationships read per hop.
        #[arg(long, default_value_t = 500)]
        limit: u32,
        /// Page a node's neighbours: relationships to pass over (one hop only).
        #[arg(long, default_value_t = 0)]
        skip: u32,
        /// Nodes with more relationships are listed, not expanded, in hops after the first.
        #[arg(long, default_value_t = 200)]
        supernode_degree: u32,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// Shortest path(s) between two of a tenant's nodes, through the tenant's nodes only.
    Path {
        from_id: String,
        to_id: String,
        #[arg(long, short)]
        tenant: String,
        #[arg(long)]
        from_label: Option<String>,
        #[arg(long)]
        to_label: Option<String>,
        #[arg(long, default_value_t = 6)]
        max_hops: u8,
        /// Every shortest path, not only one.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        connection: ConnectionArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DirectionArg {
    Both,
    Out,
    In,
}

impl From<DirectionArg> for Direction {
    fn from(d: DirectionArg) -> Self {
        match d {
            DirectionArg::Both => Direction::Both,
            DirectionArg::Out => Direction::Outgoing,
            DirectionArg::In => Direction::Incoming,
        }
    }
}

pub async fn run(app: &Storelens, command: GraphCommand, out: &Output) -> Result<ExitCode> {
    let view = match command {
        GraphCommand::Search {
            text,
            tenant,
            label,
            limit,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let request = SearchRequest {
                tenant,
                text,
                label,
                limit: Some(limit),
            };
            app.graph_search(&name, request).await?
        }
        GraphCommand::Expand {
            node_id,
            tenant,
            label,
            hops,
            only_labels,
            types,
            direction,
            limit,
            skip,
            supernode_degree,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let request = ExpandRequest {
                tenant,
                start: vec![NodeRef { id: node_id, label }],
                hops: Some(hops),
                labels: only_labels,
                types,
                direction: Some(direction.into()),
                limit: Some(limit),
                skip: (skip > 0).then_some(skip),
                supernode_degree: Some(supernode_degree),
            };
            app.graph_expand(&name, request).await?
        }
        GraphCommand::Path {
            from_id,
            to_id,
            tenant,
            from_label,
            to_label,
            max_hops,
            all,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let request = PathRequest {
                tenant,
                from: NodeRef {
                    id: from_id,
                    label: from_label,
                },
                to: NodeRef {
                    id: to_id,
                    label: to_label,
                },
                max_hops: Some(max_hops),
                all,
            };
            app.graph_path(&name, request).await?
        }
    };
    out.print(&view, render);
    Ok(ExitCode::SUCCESS)
}

fn render(view: &GraphView) -> String {
    let caption = |key: &str| {
        view.nodes
            .iter()
            .find(|n| n.key == key)
            .map_or_else(|| key.to_owned(), |n| n.caption.clone())
    };
    let mut lines = vec![format!(
        "{} nodes, {} relationships ({} ms)",
        view.nodes.len(),
        view.edges.len(),
        view.elapsed_ms
    )];
    for n in &view.nodes {
        let mut flags = String::new();
        if n.foreign {
            flags.push_str(&format!(
                "  FOREIGN (tenant {})",
                n.tenant.as_deref().unwrap_or("none")
            ));
        }
        if let Some(d) = n.degree {
            flags.push_str(&format!("  degree {d}"));
        }
        lines.push(format!(
            "  ({}) {}  id {}{flags}",
            n.labels.join(":"),
            n.caption,
            n.id.as_deref().unwrap_or("-"),
        ));
    }
    if !view.edges.is_empty() {
        lines.push("relationships:".into());
    }
    for e in &view.edges {
        lines.push(format!(
            "  {} -[{}]-> {}{}",
            caption(&e.source),
            e.rel_type,
            caption(&e.target),
            if e.breach {
                "  BREACH (cross-tenant)"
            } else {
                ""
            }
        ));
    }
    for (i, p) in view.paths.iter().enumerate() {
        lines.push(format!("path {}: {} relationships", i + 1, p.len()));
    }
    for s in &view.supernodes {
        lines.push(format!(
            "supernode {}: {} relationships, {} drawn{}",
            caption(&s.node),
            s.degree,
            s.shown,
            s.next_skip
                .map(|k| format!(", next page: --skip {k}"))
                .unwrap_or_default()
        ));
        for c in &s.counts {
            lines.push(format!(
                "    {:>6}  {}{}{} ({})",
                c.count,
                if c.outgoing { "-[" } else { "<-[" },
                c.rel_type,
                if c.outgoing { "]->" } else { "]-" },
                c.label
            ));
        }
    }
    lines.extend(view.notes.iter().map(|n| format!("note: {n}")));
    lines.join("\n")
}
