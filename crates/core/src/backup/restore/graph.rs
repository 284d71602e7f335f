//! Restoring the graph part: nodes created a batch per label set, then relationships between
//! ends found by labels, id and tenant. Into the scratch graph database (which must be empty,
//! and is emptied again; another tenant's end nodes are stood in for by stubs holding only id
//! and tenant), or over the tenant's live nodes (deleted first, with their relationships).
//!
//! Values come back with their Bolt type: the backup wrote bytes, temporal and spatial values
//! as tagged JSON (`graph::typed_json`).

use std::collections::HashMap;

use neo4rs::{query, BoltType, Graph as BoltGraph};
use tokio::io::AsyncBufReadExt;

use super::{then_clean, Destination, RestoreContext, Restored};
use crate::backup::graph::{measures, read_nodes, read_relationships, Lines};
use crate::backup::manifest::Part;
use crate::error::{Error, Result, StoreKind};
use crate::graph::typed_json::from_typed_json;
use crate::graph::values::column_json;
use crate::ident::Ident;
use crate::profile::GraphSpec;
use crate::stores::graph::map_error;

const STORE: StoreKind = StoreKind::Graph;
const BATCH: usize = 500;
/// Nodes deleted by one statement (with their relationships).
const DELETE_BATCH: usize = 500;

pub(super) async fn restore(
    cx: &RestoreContext<'_>,
    _part: &Part,
    to: Destination,
) -> Result<Restored> {
    let spec = cx.platform.profile.graph_spec()?;
    match to {
        Destination::Scratch => {
            let scratch = cx.platform.graph_scratch()?.bolt();
            let present = count(scratch, "MATCH (n) RETURN count(n) AS n").await?;
            if present > 0 {
                return Err(Error::InvalidInput(format!(
                    "the scratch graph database holds {present} nodes; it must be empty"
                )));
            }
            // A tenant's relationships may end at other tenants' nodes: stubs stand in for them.
            // A whole graph has every end.
            let stubs = cx.tenant.is_some();
            let work = async {
                let notes = load(cx, spec, scratch, stubs).await?;
                Ok((measure(cx, spec, scratch).await?, notes))
            };
            let empty = delete_nodes(scratch, "", None);
            let ((measures, mut notes), note) = then_clean(work, empty).await?;
            notes.extend(note);
            Ok(Restored {
                target: "scratch graph database".into(),
                measures,
                notes,
            })
        }
        Destination::Live => {
            let live = cx.platform.graph()?.bolt();
            let t = spec.tenant_property.cypher();
            let condition = format!("WHERE n.{t} = $tenant");
            delete_nodes(live, &condition, Some(cx.tenant()?.id.as_str())).await?;
            let notes = load(cx, spec, live, false).await?;
            Ok(Restored {
                target: format!("tenant {} (live graph)", cx.tenant()?.slug),
                measures: measure(cx, spec, live).await?,
                notes,
            })
        }
    }
}

/// The tenant's nodes and relationships (or every one, for a whole graph) measured as the
/// backup measured them.
async fn measure(
    cx: &RestoreContext<'_>,
    spec: &GraphSpec,
    bolt: &BoltGraph,
) -> Result<Vec<crate::backup::manifest::Measure>> {
    let tenant = cx.tenant.map(|t| t.id.as_str());
    let mut nodes = Lines::new(None);
    read_nodes(bolt, spec, tenant, &mut nodes, cx.token, cx.progress).await?;
    let mut rels = Lines::new(None);
    let across = read_relationships(bolt, spec, tenant, &mut rels, cx.token, cx.progress).await?;
    Ok(measures(&nodes, &rels, across))
}

/// Creates the backup's nodes, then its relationships; `stubs` stands in for end nodes of
/// other tenants (the scratch database has none).
async fn load(
    cx: &RestoreContext<'_>,
    spec: &GraphSpec,
    bolt: &BoltGraph,
    stubs: bool,
) -> Result<Vec<String>> {
    let links = Links {
        bolt,
        id: spec.id_property.cypher(),
        tenant: spec.tenant_property.cypher(),
    };
    let mut lines = JsonLines::open(cx, "graph/nodes.jsonl").await?;
    let mut batches = Batches::default();
    let mut created = NodeIds::default();
    let mut nodes = 0_u64;
    while let Some(line) = lines.next().await? {
        let labels = labels_of(&line["labels"])?;
        if let Some((labels, rows)) = batches.add(labels, from_typed_json(&line["properties"])?) {
            crate::backup::stop_if_cancelled(cx.token)?;
            nodes += rows.len() as u64;
            links.create_nodes(&labels, rows, &mut created).await?;
            (cx.progress)(format!("graph: {nodes} nodes restored"));
        }
    }
    for (labels, rows) in batches.drain() {
        links.create_nodes(&labels, rows, &mut created).await?;
    }

    let this_tenant = match stubs {
        true => Some(serde_json::Value::String(cx.tenant()?.id.clone())),
        false => None,
    };
    let mut lines = JsonLines::open(cx, "graph/relationships.jsonl").await?;
    let (mut rels, mut ends) = (Batches::default(), Batches::default());
    // Relationships between nodes this restore created, by their internal ids.
    let mut by_ids = Batches::default();
    let (mut wanted, mut made) = (0_u64, 0_u64);
    while let Some(line) = lines.next().await? {
        let (from, to) = (&line["from"], &line["to"]);
        for end in [from, to] {
            if this_tenant.as_ref().is_some_and(|t| end["tenant"] != *t) {
                let stub = serde_json::json!({"id": end["id"], "tenant": end["tenant"]});
                // Ends without a tenant are merged on their id alone.
                let key = format!(
                    "{}\n{}",
                    labels_of(&end["labels"])?,
                    end["tenant"].is_null()
                );
                if let Some((key, rows)) = ends.add(key, from_typed_json(&stub)?) {
                    links.stubs(&key, rows).await?;
                }
            }
        }
        let typ = Ident::parse(line["type"].as_str().unwrap_or_default())?;
        if let (Some(a), Some(b)) = (created.of(from)?, created.of(to)?) {
            let row = from_typed_json(&serde_json::json!({
                "a": a, "b": b, "props": line["properties"],
            }))?;
            if let Some((typ, rows)) = by_ids.add(typ.cypher(), row) {
                crate::backup::stop_if_cancelled(cx.token)?;
                wanted += rows.len() as u64;
                made += links.relate_by_ids(&typ, rows).await?;
                (cx.progress)(format!("graph: {made} relationships restored"));
            }
            continue;
        }
        let key = format!(
            "{}\n{}\n{}",
            labels_of(&from["labels"])?,
            typ.cypher(),
            labels_of(&to["labels"])?
        );
        let row = from_typed_json(&serde_json::json!({
            "ai": from["id"], "at": from["tenant"], "bi": to["id"], "bt": to["tenant"],
            "props": line["properties"],
        }))?;
        if let Some((key, rows)) = rels.add(key, row) {
            crate::backup::stop_if_cancelled(cx.token)?;
            for (k, stub_rows) in ends.drain() {
                links.stubs(&k, stub_rows).await?;
            }
            wanted += rows.len() as u64;
            made += links.relate(&key, rows).await?;
            (cx.progress)(format!("graph: {made} relationships restored"));
        }
    }
    for (k, stub_rows) in ends.drain() {
        links.stubs(&k, stub_rows).await?;
    }
    for (key, rows) in rels.drain() {
        wanted += rows.len() as u64;
        made += links.relate(&key, rows).await?;
    }
    for (typ, rows) in by_ids.drain() {
        wanted += rows.len() as u64;
        made += links.relate_by_ids(&typ, rows).await?;
    }
    let mut notes = Vec::new();
    if made < wanted {
        notes.push(format!(
            "{} of {wanted} relationships could not be reconnected: an end node is missing",
            wanted - made
        ));
    }
    Ok(notes)
}

/// Rows grouped by a key (label set, relationship shape), handed back a batch at a time.
#[derive(Default)]
struct Batches(HashMap<String, Vec<BoltType>>);

impl Batches {
    /// Adds a row; returns the key's batch when it is full.
    fn add(&mut self, key: String, row: BoltType) -> Option<(String, Vec<BoltType>)> {
        let batch = self.0.entry(key.clone()).or_default();
        batch.push(row);
        if batch.len() < BATCH {
            return None;
        }
        self.0.remove(&key).map(|rows| (key, rows))
    }

    fn drain(&mut self) -> impl Iterator<Item = (String, Vec<BoltType>)> {
        std::mem::take(&mut self.0).into_iter()
    }
}

/// The internal id of each node the restore created, by labels, id and tenant (as the backup's
/// relationship lines name their ends): matching an end by internal id is a direct lookup,
/// where matching by property scans the label (ArcadeDB: 12 ms against 564 ms for 500 ends).
/// `None` marks a name two nodes share; their relationships are matched by property.
#[derive(Default)]
struct NodeIds(HashMap<String, Option<i64>>);

impl NodeIds {
    fn name(labels: &str, id: &serde_json::Value, tenant: &serde_json::Value) -> String {
        format!("{labels}\n{id}\n{tenant}")
    }

    fn insert(&mut self, name: String, node: i64) {
        self.0
            .entry(name)
            .and_modify(|n| *n = None)
            .or_insert(Some(node));
    }

    /// The internal id of a relationship line's end, if this restore created it.
    fn of(&self, end: &serde_json::Value) -> Result<Option<i64>> {
        let name = Self::name(&labels_of(&end["labels"])?, &end["id"], &end["tenant"]);
        Ok(self.0.get(&name).copied().flatten())
    }
}

/// Relationships (and stub end nodes) written into one graph.
struct Links<'a> {
    bolt: &'a BoltGraph,
    id: String,
    tenant: String,
}

impl Links<'_> {
    /// `key` is `labels\n<tenant is null>`.
    async fn stubs(&self, key: &str, rows: Vec<BoltType>) -> Result<()> {
        let (labels, no_tenant) = key.split_once('\n').unwrap_or((key, "false"));
        let (id, t) = (&self.id, &self.tenant);
        let cypher = if no_tenant == "true" {
            format!("UNWIND $rows AS row MERGE (n{labels} {{{id}: row.id}})")
        } else {
            format!("UNWIND $rows AS row MERGE (n{labels} {{{id}: row.id, {t}: row.tenant}})")
        };
        self.bolt
            .run(query(&cypher).param("rows", rows))
            .await
            .map_err(map_error)
    }

    /// Creates nodes of one label set and records their internal ids.
    async fn create_nodes(
        &self,
        labels: &str,
        rows: Vec<BoltType>,
        created: &mut NodeIds,
    ) -> Result<()> {
        let (id, t) = (&self.id, &self.tenant);
        let cypher = format!(
            "UNWIND $rows AS row CREATE (n{labels}) SET n += row \
             RETURN row.{id} AS i, row.{t} AS t, id(n) AS n"
        );
        let mut out = self
            .bolt
            .execute(query(&cypher).param("rows", rows))
            .await
            .map_err(map_error)?;
        while let Some(row) = out.next().await.map_err(map_error)? {
            let name = NodeIds::name(labels, &column_json(&row, "i")?, &column_json(&row, "t")?);
            let node: i64 = row.get("n").map_err(|e| Error::query(STORE, e))?;
            created.insert(name, node);
        }
        Ok(())
    }

    /// Relationships of type `typ` between nodes given by internal id; how many were created.
    async fn relate_by_ids(&self, typ: &str, rows: Vec<BoltType>) -> Result<u64> {
        let cypher = format!(
            "UNWIND $rows AS row MATCH (a) WHERE id(a) = row.a MATCH (b) WHERE id(b) = row.b \
             CREATE (a)-[r:{typ}]->(b) SET r += row.props RETURN count(r) AS n"
        );
        count_with(self.bolt, query(&cypher).param("rows", rows)).await
    }

    /// `key` is `from labels\ntype\nto labels`; returns how many were created.
    async fn relate(&self, key: &str, rows: Vec<BoltType>) -> Result<u64> {
        let mut parts = key.splitn(3, '\n');
        let (fl, typ, tl) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let (id, t) = (&self.id, &self.tenant);
        let cypher = format!(
            "UNWIND $rows AS row \
             MATCH (a{fl}) WHERE a.{id} = row.ai AND (a.{t} = row.at OR (row.at IS NULL AND a.{t} IS NULL)) \
             MATCH (b{tl}) WHERE b.{id} = row.bi AND (b.{t} = row.bt OR (row.bt IS NULL AND b.{t} IS NULL)) \
             CREATE (a)-[r:{typ}]->(b) SET r += row.props RETURN count(r) AS n"
        );
        count_with(self.bolt, query(&cypher).param("rows", rows)).await
    }
}

/// A JSONL artifact of the backup, a parsed line at a time.
struct JsonLines {
    rel: &'static str,
    lines: tokio::io::Lines<tokio::io::BufReader<tokio::fs::File>>,
    number: u64,
}

impl JsonLines {
    async fn open(cx: &RestoreContext<'_>, rel: &'static str) -> Result<Self> {
        let path = cx.dir.join(rel);
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| crate::backup::artifact::read_error(&path, &e))?;
        Ok(Self {
            rel,
            lines: tokio::io::BufReader::new(file).lines(),
            number: 0,
        })
    }

    async fn next(&mut self) -> Result<Option<serde_json::Value>> {
        let Some(text) = self
            .lines
            .next_line()
            .await
            .map_err(|e| Error::InvalidInput(format!("reading {}: {e}", self.rel)))?
        else {
            return Ok(None);
        };
        self.number += 1;
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::InvalidInput(format!(
                "{} line {} is not JSON: {e}",
                self.rel, self.number
            ))
        })
    }
}

/// `:A:B` from a JSON list of labels, each checked as an identifier.
fn labels_of(labels: &serde_json::Value) -> Result<String> {
    let mut out = String::new();
    for l in labels.as_array().into_iter().flatten() {
        let name = Ident::parse(l.as_str().unwrap_or_default())?;
        out.push(':');
        out.push_str(&name.cypher());
    }
    Ok(out)
}

/// Deletes the nodes matching `condition` (on `n`, with `$tenant`) and their relationships, a
/// batch at a time: each statement must end within the connection's read timeout, and one
/// statement for a whole graph would not.
async fn delete_nodes(bolt: &BoltGraph, condition: &str, tenant: Option<&str>) -> Result<()> {
    let cypher = format!(
        "MATCH (n) {condition} WITH n LIMIT {DELETE_BATCH} DETACH DELETE n RETURN count(*) AS n"
    );
    loop {
        let q = query(&cypher).param("tenant", tenant.unwrap_or_default());
        if count_with(bolt, q).await? == 0 {
            return Ok(());
        }
    }
}

async fn count(bolt: &BoltGraph, cypher: &str) -> Result<i64> {
    count_with(bolt, query(cypher)).await.map(|n| n as i64)
}

async fn count_with(bolt: &BoltGraph, q: neo4rs::Query) -> Result<u64> {
    let mut rows = bolt.execute(q).await.map_err(map_error)?;
    let mut n = 0_i64;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        n += row.get::<i64>("n").map_err(|e| Error::query(STORE, e))?;
    }
    Ok(u64::try_from(n).unwrap_or(0))
}
