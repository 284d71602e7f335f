//! `storelens find <id-or-key>`: everything that refers to an entity id, a cache key or an
//! object key, in every store and tenant. Exit code 0 when something was found and every store
//! answered, 1 when nothing was found or a store failed, 2 on an error.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Args;
use storelens_core::lookup::{CacheKeyHit, EntityHit, LookupResult, NeedleKind, ObjectHit};
use storelens_core::{Error, Result, Storelens};

use crate::output::Output;

#[derive(Args)]
pub struct FindArgs {
    /// An entity id, a cache key (e.g. `tenant:<id>:atom:<id>`) or an object key
    /// (e.g. `tenant-<slug>/documents/<id>.md`, or `s3://bucket/key`).
    pub needle: OsString,
    /// Only this tenant (id or slug).
    #[arg(long, short)]
    pub tenant: Option<OsString>,
    /// The connection; defaults to `sandbox`, or the only connection there is.
    #[arg(long, short)]
    pub connection: Option<String>,
}

fn utf8(text: OsString, what: &str) -> Result<String> {
    text.into_string()
        .map_err(|_| Error::InvalidInput(format!("{what} is not valid UTF-8")))
}

pub async fn run(app: &Storelens, args: FindArgs, out: &Output) -> Result<ExitCode> {
    let needle = utf8(args.needle, "the id or key")?;
    let tenant = args.tenant.map(|t| utf8(t, "the tenant")).transpose()?;
    let name = app.resolve_name(args.connection.as_deref())?;
    let result = app.find(&name, &needle, tenant.as_deref()).await?;
    out.print(&result, render);
    Ok(if result.is_empty() || !result.errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn render(r: &LookupResult) -> String {
    let kind = match r.kind {
        NeedleKind::EntityId => "entity id",
        NeedleKind::CacheKey => "cache key",
        NeedleKind::ObjectKey => "object key",
    };
    let mut lines = vec![format!("{} ({kind}, {} ms)", r.needle, r.elapsed_ms)];
    if let Some(t) = &r.key_tenant {
        let known = r.tenant.as_ref().map_or_else(
            || "not a known tenant".to_owned(),
            |t| format!("{} ({})", t.slug, t.id),
        );
        lines.push(format!("  tenant in key  {t}: {known}"));
    }
    if let Some(e) = &r.key_entity {
        lines.push(format!("  names          {} {}", e.entity_type, e.id));
    }
    if let Some(k) = &r.cache_key {
        lines.push(format!("  key            {}", cache_line(k)));
    }
    if let Some(o) = &r.object {
        lines.push(format!("  object         {}", object_line(o)));
    }
    for hit in &r.hits {
        lines.extend(hit_lines(hit));
    }
    if r.is_empty() {
        lines.push("nothing refers to it".to_owned());
    }
    for e in &r.errors {
        let tenant = e
            .tenant
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        lines.push(format!("error: {}{tenant}: {}", e.store, e.error.message));
    }
    for n in &r.notes {
        lines.push(format!("note: {n}"));
    }
    lines.join("\n")
}

fn hit_lines(hit: &EntityHit) -> Vec<String> {
    let tenant = hit.tenant.as_ref().map_or_else(
        || "(unknown tenant)".to_owned(),
        |t| format!("{} [{}]", t.slug, tier(t.tier)),
    );
    let mut lines = vec![format!("{tenant}  {} {}", hit.entity_type, hit.id)];
    if let Some(row) = &hit.row {
        let version = row
            .row
            .get("version")
            .map(|v| format!(", version {v}"))
            .unwrap_or_default();
        lines.push(format!("  postgres  row in {}{version}", row.table));
    }
    if let Some(ev) = &hit.events {
        let latest = ev
            .recent
            .first()
            .map(|e| {
                let seq = e
                    .sequence
                    .as_deref()
                    .map(|s| format!(" #{s}"))
                    .unwrap_or_default();
                format!(
                    ", latest {} at {}{seq}",
                    e.event_type,
                    e.time.as_deref().unwrap_or("?")
                )
            })
            .unwrap_or_default();
        lines.push(format!("  postgres  {} events{latest}", ev.total));
    }
    for n in &hit.graph {
        lines.push(format!(
            "  graph     {} node, {} relationships",
            n.labels.join(":"),
            n.degree
        ));
    }
    for k in &hit.cache {
        lines.push(format!("  redis     {}", cache_line(k)));
    }
    for o in &hit.objects {
        lines.push(format!("  objects   {}", object_line(o)));
    }
    lines
}

fn tier(t: storelens_core::tenants::Tier) -> &'static str {
    match t {
        storelens_core::tenants::Tier::Row => "row",
        storelens_core::tenants::Tier::Schema => "schema",
        storelens_core::tenants::Tier::Database => "database",
    }
}

fn cache_line(k: &CacheKeyHit) -> String {
    if !k.present {
        return format!("{} (not present)", k.key);
    }
    let ttl = match k.ttl_ms.as_deref().and_then(|t| t.parse::<i64>().ok()) {
        Some(ms) => format!("TTL {} s", ms / 1000),
        None => "no TTL".to_owned(),
    };
    let memory = k
        .memory_bytes
        .as_deref()
        .map(|m| format!(", {m} bytes"))
        .unwrap_or_default();
    format!(
        "{} {}, {ttl}{memory}",
        k.key,
        k.key_type.as_deref().unwrap_or("?")
    )
}

fn object_line(o: &ObjectHit) -> String {
    if !o.present {
        return format!("{}/{} (not present)", o.bucket, o.key);
    }
    format!(
        "{}/{} {} bytes, modified {}",
        o.bucket,
        o.key,
        o.size.as_deref().unwrap_or("?"),
        o.last_modified.as_deref().unwrap_or("?")
    )
}
