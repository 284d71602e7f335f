use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use storelens_core::footprint::{FootprintPart, NameCount, TenantFootprint};
use storelens_core::overview::{OverviewPart, TenantTotals};
use storelens_core::rows::export::ExportFormat;
use storelens_core::rows::{ColumnFilter, FilterOp, RowQuery};
use storelens_core::tenants::{Tenant, TenantLocation, TenantQuery, TenantSort, Tier};
use storelens_core::{ErrorCode, Result, Storelens};

use crate::output::{grid, Output};

#[derive(Subcommand)]
pub enum TenantsCommand {
    /// List tenants: tier and where each lives.
    List(ListArgs),
    /// One tenant by id or slug; with --footprint, its size in every store.
    Show {
        tenant: String,
        /// Rows, events, nodes, keys and objects of the tenant, per store.
        #[arg(long)]
        footprint: bool,
        /// Exact counts: `count(*)` instead of planner estimates, every Redis key sized.
        #[arg(long, requires = "footprint")]
        exact: bool,
    },
    /// One page of a tenant's entity table (keyset pagination: pass the printed `--after`).
    Rows(RowsArgs),
    /// Every row of a tenant's entity table (filtered) to a CSV or JSON file.
    Export {
        #[command(flatten)]
        rows: RowSelection,
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// The file to write (must not exist); default: a new file in the exports folder.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Args)]
pub struct RowSelection {
    /// Tenant id or slug.
    pub tenant: String,
    /// The profile's entity type, e.g. `atom`.
    pub entity: String,
    /// `COLUMN=VALUE` (equal), `COLUMN~TEXT` (contains), `COLUMN>VALUE`, `COLUMN<VALUE`,
    /// `COLUMN:null`, `COLUMN:notnull`. Repeatable; all must hold.
    #[arg(long = "filter", value_parser = parse_filter)]
    pub filters: Vec<ColumnFilter>,
    /// Newest ids first.
    #[arg(long)]
    pub desc: bool,
}

#[derive(Args)]
pub struct RowsArgs {
    #[command(flatten)]
    pub rows: RowSelection,
    /// The cursor printed by the previous page.
    #[arg(long)]
    pub after: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

fn parse_filter(text: &str) -> std::result::Result<ColumnFilter, String> {
    let filter = |column: &str, op, value: Option<&str>| ColumnFilter {
        column: column.trim().to_owned(),
        op,
        value: value.map(str::to_owned),
    };
    if let Some(column) = text.strip_suffix(":null") {
        return Ok(filter(column, FilterOp::IsNull, None));
    }
    if let Some(column) = text.strip_suffix(":notnull") {
        return Ok(filter(column, FilterOp::NotNull, None));
    }
    let at = text
        .find(['=', '~', '>', '<'])
        .ok_or_else(|| "expected COLUMN=VALUE, COLUMN~TEXT, COLUMN>VALUE, COLUMN<VALUE, COLUMN:null or COLUMN:notnull".to_owned())?;
    let (column, rest) = text.split_at(at);
    let op = match &rest[..1] {
        "=" => FilterOp::Equals,
        "~" => FilterOp::Contains,
        ">" => FilterOp::Greater,
        _ => FilterOp::Less,
    };
    Ok(filter(column, op, Some(&rest[1..])))
}

impl RowSelection {
    fn query(&self, after: Option<String>, limit: Option<u32>) -> RowQuery {
        RowQuery {
            entity: self.entity.clone(),
            filters: self.filters.clone(),
            after,
            descending: self.desc,
            limit,
        }
    }
}

#[derive(Args)]
pub struct ListArgs {
    /// Literal text to find in the id, slug or name.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum, default_value = "slug")]
    pub sort: SortArg,
    /// 0-based page number.
    #[arg(long, default_value_t = 0)]
    pub page: u32,
    #[arg(long, default_value_t = 100)]
    pub page_size: u32,
    /// Add every store's totals (rows, events, nodes, keys, objects; each store read once).
    #[arg(long)]
    pub footprints: bool,
    /// With --footprints: exact counts instead of planner estimates.
    #[arg(long, requires = "footprints")]
    pub exact: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Slug,
    Name,
    Tier,
    Created,
}

pub async fn run(
    app: &Storelens,
    connection: &str,
    command: TenantsCommand,
    out: &Output,
) -> Result<ExitCode> {
    match command {
        TenantsCommand::List(a) => {
            let sort = match a.sort {
                SortArg::Slug => TenantSort::Slug,
                SortArg::Name => TenantSort::Name,
                SortArg::Tier => TenantSort::Tier,
                SortArg::Created => TenantSort::CreatedAt,
            };
            let query = TenantQuery {
                search: a.search,
                sort: Some(sort),
                page: Some(a.page),
                page_size: Some(a.page_size),
            };
            let page = app.list_tenants(connection, query).await?;
            if a.footprints {
                let task = format!("cli-overview-{}", std::process::id());
                let overview = app
                    .tenant_overview(connection, a.exact, &task, |_| {})
                    .await?;
                let listed: Vec<&str> = page.tenants.iter().map(|t| t.id.as_str()).collect();
                let rows: Vec<&TenantTotals> = overview
                    .tenants
                    .iter()
                    .filter(|t| listed.contains(&t.id.as_str()))
                    .collect();
                let result = serde_json::json!({
                    "page": &page,
                    "footprints": rows,
                    "parts": &overview.parts,
                    "elapsedMs": overview.elapsed_ms,
                });
                out.print(&result, |_| render_totals(&rows, &overview.parts));
                return Ok(ExitCode::SUCCESS);
            }
            out.print(&page, |p| {
                let mut lines: Vec<String> = p.tenants.iter().map(line).collect();
                lines.push(format!(
                    "page {} ({} per page) of {} tenants",
                    p.page, p.page_size, p.total
                ));
                lines.join("\n")
            });
        }
        TenantsCommand::Show {
            tenant,
            footprint: true,
            exact,
        } => {
            let fp = app.tenant_footprint(connection, &tenant, exact).await?;
            out.print(&fp, render_footprint);
            // A store that failed (not one that is simply not configured) is a finding.
            let failed = [
                &fp.postgres.error,
                &fp.graph.error,
                &fp.redis.error,
                &fp.objects.error,
            ]
            .into_iter()
            .flatten()
            .any(|e| e.code != ErrorCode::NotFound);
            return Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        TenantsCommand::Show { tenant, .. } => {
            let t = app.get_tenant(connection, &tenant).await?;
            out.print(&t, line);
        }
        TenantsCommand::Rows(a) => {
            let query = a.rows.query(a.after, Some(a.limit));
            let page = app.tenant_rows(connection, &a.rows.tenant, query).await?;
            out.print(&page, |p| {
                let columns: Vec<String> = p.columns.iter().map(|c| c.name.clone()).collect();
                let next = match &p.next_after {
                    Some(cursor) => format!("next page: --after {cursor}"),
                    None => "last page".to_owned(),
                };
                format!(
                    "{}\n{} rows of {}; {next}",
                    grid(&columns, &p.rows),
                    p.rows.len(),
                    p.table
                )
            });
        }
        TenantsCommand::Export {
            rows,
            format,
            out: dest,
        } => {
            let format = match format {
                FormatArg::Csv => ExportFormat::Csv,
                FormatArg::Json => ExportFormat::Json,
            };
            let query = rows.query(None, None);
            let task = format!("cli-export-{}", std::process::id());
            let summary = app
                .export_rows(
                    connection,
                    &rows.tenant,
                    query,
                    format,
                    dest,
                    &task,
                    &|_| {},
                )
                .await?;
            out.print(&summary, |s| {
                format!(
                    "{} rows ({} bytes) written to {} in {} ms",
                    s.rows, s.bytes, s.path, s.elapsed_ms
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn line(t: &Tenant) -> String {
    let tier = match t.tier {
        Tier::Row => "row",
        Tier::Schema => "schema",
        Tier::Database => "database",
    };
    let place = match &t.location {
        TenantLocation::Row {
            schema,
            tenant_column,
        } => format!("{schema}.* where {tenant_column} = id"),
        TenantLocation::Schema { schema } => format!("schema {schema}"),
        TenantLocation::Database {
            host,
            database,
            schema,
        } => {
            format!(
                "database {database}.{schema}{}",
                host.as_deref()
                    .map(|h| format!(" on {h}"))
                    .unwrap_or_default()
            )
        }
    };
    format!("{:<24} {:<36} {:<9} {}", t.slug, t.id, tier, place)
}

/// Totals per tenant and store; `~` marks estimates, `?` a store that could not answer.
fn render_totals(rows: &[&TenantTotals], parts: &[OverviewPart]) -> String {
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".into());
    let columns: Vec<String> = [
        "slug",
        "tier",
        "rows",
        "events",
        "last event",
        "nodes",
        "rels",
        "keys",
        "key bytes",
        "objects",
        "object bytes",
    ]
    .map(String::from)
    .to_vec();
    let cells: Vec<Vec<Option<String>>> = rows
        .iter()
        .map(|t| {
            let rows = cell(&t.rows);
            vec![
                Some(t.slug.clone()),
                t.tier.map(|tier| format!("{tier:?}").to_lowercase()),
                Some(if t.rows_estimated {
                    format!("~{rows}")
                } else {
                    rows
                }),
                Some(cell(&t.events)),
                t.last_event_at.clone(),
                Some(cell(&t.nodes)),
                Some(cell(&t.relationships)),
                Some(cell(&t.keys)),
                t.key_bytes.as_ref().map(|b| format!("~{}", bytes(b))),
                Some(cell(&t.objects)),
                t.object_bytes.as_ref().map(|b| bytes(b)),
            ]
        })
        .collect();
    let mut out = vec![grid(&columns, &cells)];
    for p in parts {
        let state = match &p.error {
            Some(e) => format!("failed: {}", e.message),
            None => p.detail.clone(),
        };
        out.push(format!(
            "{:<8} {:>6} ms  {state}",
            p.store.as_str(),
            p.elapsed_ms
        ));
    }
    out.join("\n")
}

/// The footprint as a compact table; `~` marks estimates.
fn render_footprint(fp: &TenantFootprint) -> String {
    let mode = if fp.exact {
        "exact"
    } else {
        "estimates allowed (--exact for exact counts)"
    };
    let mut out = vec![
        line(&fp.tenant),
        format!(
            "footprint at {} in {} ms, {mode}",
            fp.measured_at, fp.elapsed_ms
        ),
    ];
    let head = |out: &mut Vec<String>, part_store: String, what: &str, ms: u32| {
        out.push(format!("{part_store}  {what}  ({ms} ms)"));
    };
    section(&mut out, &fp.postgres, |out, pg| {
        head(
            out,
            fp.postgres.store.to_string(),
            &pg.location,
            fp.postgres.elapsed_ms,
        );
        for t in &pg.tables {
            match (&t.rows, &t.error) {
                (Some(rows), _) => out.push(format!(
                    "  {:<20} {:>12}",
                    t.table,
                    approx(rows, t.estimated)
                )),
                (None, Some(e)) => {
                    out.push(format!("  {:<20} {:>12}  {}", t.table, "error", e.message))
                }
                (None, None) => {}
            }
        }
        if let Some(ev) = &pg.events {
            let span = match (&ev.first_at, &ev.last_at) {
                (Some(first), Some(last)) => format!("  {first} .. {last}"),
                _ => String::new(),
            };
            out.push(format!(
                "  {:<20} {:>12}{span}  (events)",
                ev.table, ev.count
            ));
            if !ev.types.is_empty() {
                let other = if ev.other_types_count == "0" {
                    String::new()
                } else {
                    format!(", other {}", ev.other_types_count)
                };
                out.push(format!("  {:<20} {}{other}", "", names(&ev.types)));
            }
        }
        if let Some(e) = &pg.events_error {
            out.push(format!("  {:<20} {:>12}  {}", "events", "error", e.message));
        }
    });
    section(&mut out, &fp.graph, |out, g| {
        head(
            out,
            fp.graph.store.to_string(),
            &format!("nodes where {} = id", g.tenant_property),
            fp.graph.elapsed_ms,
        );
        out.push(format!(
            "  {:<20} {:>12}  {}",
            "nodes",
            g.nodes,
            names(&g.labels)
        ));
        out.push(format!(
            "  {:<20} {:>12}  {}",
            "relationships",
            g.relationships,
            names(&g.relationship_types)
        ));
    });
    section(&mut out, &fp.redis, |out, r| {
        let nodes = if r.nodes_scanned > 1 {
            format!(", {} masters", r.nodes_scanned)
        } else {
            String::new()
        };
        head(
            out,
            fp.redis.store.to_string(),
            &format!("{}*{nodes}", r.prefix),
            fp.redis.elapsed_ms,
        );
        for ns in &r.namespaces {
            out.push(format!(
                "  {:<20} {:>7} keys {:>12}",
                ns.namespace,
                ns.keys,
                approx(&bytes(&ns.bytes), ns.bytes_estimated)
            ));
        }
        out.push(format!(
            "  {:<20} {:>7} keys {:>12}",
            "total",
            r.keys,
            approx(&bytes(&r.bytes), r.bytes_estimated)
        ));
    });
    section(&mut out, &fp.objects, |out, o| {
        head(
            out,
            fp.objects.store.to_string(),
            &format!("{}/{}", o.bucket, o.prefix),
            fp.objects.elapsed_ms,
        );
        for p in &o.prefixes {
            let name = if p.prefix.is_empty() {
                "(top level)"
            } else {
                p.prefix.as_str()
            };
            out.push(format!(
                "  {:<20} {:>7} objects {:>12}",
                name,
                p.objects,
                bytes(&p.bytes)
            ));
        }
        out.push(format!(
            "  {:<20} {:>7} objects {:>12}",
            "total",
            o.objects,
            bytes(&o.bytes)
        ));
    });
    out.join("\n")
}

fn section<T>(
    out: &mut Vec<String>,
    part: &FootprintPart<T>,
    body: impl FnOnce(&mut Vec<String>, &T),
) {
    match (&part.value, &part.error) {
        (Some(v), _) => body(out, v),
        (None, Some(e)) => out.push(format!(
            "{}  ERROR ({} ms)  {}",
            part.store, part.elapsed_ms, e.message
        )),
        (None, None) => {}
    }
}

fn approx(value: &str, estimated: bool) -> String {
    if estimated {
        format!("~{value}")
    } else {
        value.to_owned()
    }
}

fn names(counts: &[NameCount]) -> String {
    counts
        .iter()
        .map(|c| format!("{} {}", c.name, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1234567` -> `1.2 MiB`.
fn bytes(text: &str) -> String {
    let Ok(n) = text.parse::<f64>() else {
        return text.to_owned();
    };
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}
