//! A tenant's read model against the fold of its whole log, for the tenant audit. One cursor
//! over the log in aggregate order (read a batch ahead) folds each aggregate; finished
//! aggregates are compared with their rows a chunk of [`CHUNK`] ids at a time
//! (`id = any($1)`) between batches. A row that is not the current state is matched against the aggregate's last
//! [`HISTORY`] states: a match there is lag (later events are not applied yet), none is drift.
//! The tenant's row ids (read once for the whole audit) name the rows the log never mentions.
//! Memory holds a chunk of aggregates and the ids, never the tenant's rows.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::compare::{matches, project};
use super::fold::Folder;
use super::load::{log_columns, order_by, select_list, tenant_condition, Columns, EventCursor};
use crate::cache::audit::{normalize_id, read_rows};
use crate::error::{Error, Result, StoreKind};
use crate::findings::{Finding, FindingKind};
use crate::platform::Platform;
use crate::profile::EntitySpec;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;

/// Aggregates whose rows are read per query.
const CHUNK: usize = 500;
/// Earlier states kept per aggregate to tell lag from drift.
const HISTORY: usize = 8;
/// Aggregates between progress reports.
const REPORT_EVERY: u64 = 5_000;

/// What the check read and found.
#[derive(Debug, Default)]
pub struct ReadModelCheck {
    pub events: u64,
    pub aggregates: u64,
    pub rows: u64,
    pub findings: Vec<Finding>,
}

/// One aggregate, folded.
struct Folded {
    id: String,
    entity: usize,
    version: u64,
    state: Option<Value>,
    /// Every member the state has had.
    keys: BTreeSet<String>,
    /// Earlier states, newest first: (version, the sequence of the event that made it, state).
    earlier: VecDeque<(u64, Option<i64>, Value)>,
    /// The sequence of the last event applied.
    last_sequence: Option<i64>,
}

/// `row_ids`: the tenant's row ids of each entity of the profile, in its order.
pub async fn check(
    platform: &Platform,
    tenant: &Tenant,
    row_ids: Vec<&HashSet<String>>,
    cancel: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<ReadModelCheck> {
    let spec = platform.profile.events_spec()?;
    let space = platform.tenant_space(tenant)?;
    let entities: Vec<&EntitySpec> = platform.profile.entities.iter().collect();
    let columns = log_columns(platform, &space).await?;
    let mut binds = Vec::new();
    let condition = tenant_condition(&space, spec, &columns, &mut binds, tenant);
    let sql = format!(
        "select {} from {} x where true{condition} order by {}",
        select_list(spec, Columns::Fold, &columns),
        space.table(&spec.table),
        order_by(spec, true)
    );

    let mut out = ReadModelCheck::default();
    let mut waiting = Waiting::new(entities.len(), progress);
    let mut current: Option<Folded> = None;
    let mut folder = Folder::new(&spec.semantics);
    let mut cursor = EventCursor::open(platform, &space, &sql, &binds);
    while let Some(batch) = cursor.next_batch().await? {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        for logged in batch {
            let id = logged.aggregate_id.clone().unwrap_or_default();
            if current.as_ref().is_some_and(|c| c.id != id) {
                if let Some(done) = current.take() {
                    waiting.queue(finish(done, &folder), &mut out);
                }
                folder = Folder::new(&spec.semantics);
            }
            let c = current.get_or_insert_with(|| Folded {
                entity: logged
                    .aggregate_type
                    .as_deref()
                    .and_then(|t| entities.iter().position(|e| e.entity_type == t))
                    .unwrap_or(usize::MAX),
                id,
                version: 0,
                state: None,
                keys: BTreeSet::new(),
                earlier: VecDeque::new(),
                last_sequence: None,
            });
            let before = folder.state().cloned();
            let step = folder.apply(&logged.event);
            out.events += 1;
            if step.applied {
                if let Some(prev) = before {
                    c.earlier
                        .push_front((folder.version() - 1, c.last_sequence, prev));
                    c.earlier.truncate(HISTORY);
                }
                c.last_sequence = logged.event.sequence;
            }
            if let Some(Value::Object(m)) = folder.state() {
                c.keys.extend(m.keys().cloned());
            }
        }
        for (entity, chunk) in waiting.pending.iter_mut().enumerate() {
            if chunk.len() >= CHUNK {
                let chunk = std::mem::take(chunk);
                compare_chunk(platform, &space, entities[entity], chunk, &mut out).await?;
            }
        }
    }
    if let Some(done) = current.take() {
        waiting.queue(finish(done, &folder), &mut out);
    }
    let Waiting { pending, seen, .. } = waiting;
    for (entity, chunk) in pending.into_iter().enumerate() {
        if !chunk.is_empty() {
            compare_chunk(platform, &space, entities[entity], chunk, &mut out).await?;
        }
    }
    for ((entity, seen), rows) in entities.iter().zip(&seen).zip(row_ids) {
        out.rows += rows.len() as u64;
        let mut unmentioned: Vec<&String> = rows.difference(seen).collect();
        unmentioned.sort();
        let table = space.table(&entity.table);
        for id in unmentioned {
            out.findings.push(
                Finding::new(
                    FindingKind::ReadModelOrphaned,
                    id.clone(),
                    format!("{table} has a row {id} that no event of the tenant's log mentions"),
                )
                .entity_type(entity.entity_type.clone())
                .evidence(StoreKind::Postgres, format!("{table} {id}"), None)
                .remedy("find what wrote the row outside the projection; delete it or backfill its events"),
            );
        }
    }
    Ok(out)
}

/// Finished aggregates waiting for their rows, per entity: at most a chunk each, so memory
/// holds a chunk of aggregates and a batch of events, however large the tenant.
struct Waiting<'p> {
    pending: Vec<Vec<Folded>>,
    /// The (normalized) ids of each entity's aggregates, to find rows the log never mentions.
    seen: Vec<HashSet<String>>,
    progress: &'p (dyn Fn(String) + Send + Sync),
}

impl<'p> Waiting<'p> {
    fn new(entities: usize, progress: &'p (dyn Fn(String) + Send + Sync)) -> Self {
        Self {
            pending: (0..entities).map(|_| Vec::new()).collect(),
            seen: vec![HashSet::new(); entities],
            progress,
        }
    }

    /// A finished aggregate waits with the others of its entity (an aggregate type without a
    /// read-model table is only counted).
    fn queue(&mut self, done: Folded, out: &mut ReadModelCheck) {
        out.aggregates += 1;
        if out.aggregates % REPORT_EVERY == 0 {
            (self.progress)(format!("read model: {} aggregates folded", out.aggregates));
        }
        if let Some(batch) = self.pending.get_mut(done.entity) {
            self.seen[done.entity].insert(normalize_id(&done.id));
            batch.push(done);
        }
    }
}

fn finish(mut done: Folded, folder: &Folder<'_>) -> Folded {
    done.version = folder.version();
    done.state = folder.state().cloned();
    done
}

/// A chunk of folded aggregates of one entity type against their rows.
async fn compare_chunk(
    platform: &Platform,
    space: &TenantSpace,
    entity: &EntitySpec,
    chunk: Vec<Folded>,
    out: &mut ReadModelCheck,
) -> Result<()> {
    let ids: Vec<&str> = chunk.iter().map(|f| f.id.as_str()).collect();
    let rows: HashMap<String, Value> = read_rows(platform, space, entity, &ids)
        .await?
        .into_iter()
        .collect();
    let table = space.table(&entity.table);
    for f in chunk {
        let row = rows.get(&normalize_id(&f.id));
        if let Some(finding) = judge(&f, row, entity, &table) {
            out.findings.push(finding);
        }
    }
    Ok(())
}

/// The finding for one aggregate and its row, if they disagree.
fn judge(f: &Folded, row: Option<&Value>, entity: &EntitySpec, table: &str) -> Option<Finding> {
    let location = format!("{table} {}", f.id);
    let finding = |kind: FindingKind, message: String| {
        Finding::new(kind, f.id.clone(), message).entity_type(entity.entity_type.clone())
    };
    match (&f.state, row) {
        (None, None) => None,
        (None, Some(row)) => Some(
            finding(
                FindingKind::ReadModelOrphaned,
                format!(
                    "the log deletes {} {} but its row is still there",
                    entity.entity_type, f.id
                ),
            )
            .evidence(StoreKind::Postgres, location, Some(row.clone()))
            .remedy("delete the row, or replay the projection from the log"),
        ),
        (Some(state), None) => Some(
            finding(
                FindingKind::ReadModelMissing,
                format!(
                    "{} {} is live in the log (version {}) but has no row",
                    entity.entity_type, f.id, f.version
                ),
            )
            .evidence(
                StoreKind::Postgres,
                format!("log of {}", f.id),
                Some(state.clone()),
            )
            .remedy("replay the aggregate's events into the read model"),
        ),
        (Some(state), Some(row)) => {
            let projected = project(row, &f.keys);
            if matches(Some(state), &projected, &f.keys) {
                return None;
            }
            let earlier = f
                .earlier
                .iter()
                .find(|(_, _, s)| matches(Some(s), &projected, &f.keys));
            let with_sides = |x: Finding| {
                x.evidence(
                    StoreKind::Postgres,
                    location.clone(),
                    Some(projected.clone()),
                )
                .evidence(
                    StoreKind::Postgres,
                    format!("fold of {} events", f.version),
                    Some(project(state, &f.keys)),
                )
            };
            Some(match earlier {
                Some((version, sequence, _)) => with_sides(finding(
                    FindingKind::ReadModelLag,
                    format!(
                        "the row of {} {} is the state after event {version} of {}{}: {} later events are not applied",
                        entity.entity_type,
                        f.id,
                        f.version,
                        sequence.map(|s| format!(" (sequence {s})")).unwrap_or_default(),
                        f.version - version
                    ),
                ))
                .remedy("let the projection catch up, or replay the aggregate's later events"),
                None => with_sides(finding(
                    FindingKind::ReadModelDrift,
                    format!(
                        "the row of {} {} matches no state of its {} events",
                        entity.entity_type, f.id, f.version
                    ),
                ))
                .remedy("find what wrote the row outside the projection, then rebuild it from the log"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entity() -> EntitySpec {
        toml::from_str(
            r#"type = "atom"
table = "atoms"
id_column = "id""#,
        )
        .expect("entity")
    }

    fn folded(state: Option<Value>, earlier: &[Value]) -> Folded {
        let mut keys = BTreeSet::new();
        for s in state.iter().chain(earlier) {
            if let Value::Object(m) = s {
                keys.extend(m.keys().cloned());
            }
        }
        Folded {
            id: "a1".into(),
            entity: 0,
            version: earlier.len() as u64 + 1,
            state,
            keys,
            earlier: earlier
                .iter()
                .enumerate()
                .map(|(i, s)| ((earlier.len() - i) as u64, Some(i as i64), s.clone()))
                .collect(),
            last_sequence: None,
        }
    }

    fn check(f: &Folded, row: Option<Value>, expect: Option<FindingKind>) {
        let got = judge(f, row.as_ref(), &entity(), "atoms").map(|x| x.kind);
        assert_eq!(got, expect, "{row:?}");
    }

    #[test]
    fn in_sync_lag_drift_missing_and_orphaned() {
        let f = folded(Some(json!({"n": 2})), &[json!({"n": 1})]);
        check(&f, Some(json!({"n": 2.0, "id": "a1"})), None);
        check(&f, Some(json!({"n": 1})), Some(FindingKind::ReadModelLag));
        check(&f, Some(json!({"n": 9})), Some(FindingKind::ReadModelDrift));
        check(&f, None, Some(FindingKind::ReadModelMissing));
        let deleted = folded(None, &[json!({"n": 1})]);
        check(&deleted, None, None);
        check(
            &deleted,
            Some(json!({"n": 1})),
            Some(FindingKind::ReadModelOrphaned),
        );
    }
}
