//! Generating one tenant's event log and deriving its read model by folding the events.
//!
//! Events come first: each aggregate gets `<Type>Created`, 1-4 `<Type>Updated` merge patches and
//! sometimes `<Type>Deleted`; the row is the fold of those events (see `fold`). Causation links
//! each event to the previous event of its aggregate; correlation ids group runs of a few
//! consecutive events across aggregates; user ids come from a small pool per tenant.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::content::{self, AnnotationCtx, MoleculeCtx};
use crate::fold::{self, FoldState};
use crate::model::{EntityType, Event, EventKind, Row, Tenant};
use crate::rng;
use crate::tenants::{BIG_TENANT, SHARED_ATOM_IDS, SHARED_ID_TENANTS};

const DAY: i64 = 86_400;

/// One aggregate after folding.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub entity: EntityType,
    pub id: Uuid,
    /// The fold of all events; None when the aggregate was deleted.
    pub row: Option<Row>,
    /// The fold of all events but the last (kept only for tenants that hold planted faults).
    pub prev_row: Option<Row>,
    pub event_count: usize,
}

/// Everything generated for one tenant.
#[derive(Debug, Clone)]
pub struct TenantData {
    pub tenant: Tenant,
    pub users: Vec<Uuid>,
    pub code_refs: Vec<String>,
    pub events: Vec<Event>,
    pub aggregates: Vec<Aggregate>,
}

impl TenantData {
    pub fn live_rows(&self, entity: EntityType) -> impl Iterator<Item = &Row> {
        self.aggregates
            .iter()
            .filter(move |a| a.entity == entity)
            .filter_map(|a| a.row.as_ref())
    }
}

/// The id of the big tenant's supernode atom (depends only on the seed).
pub fn supernode_id(seed: u64) -> Uuid {
    rng::derived_uuid(seed, &format!("{BIG_TENANT}/supernode"))
}

struct Gen<'t> {
    rng: ChaCha8Rng,
    tenant: &'t Tenant,
    users: Vec<Uuid>,
    events: Vec<Event>,
    aggregates: Vec<Aggregate>,
    correlation: Uuid,
    correlation_left: u32,
    keep_history: bool,
}

type PatchFn<'a> = dyn FnMut(&mut ChaCha8Rng, &Value, usize, i64) -> Map<String, Value> + 'a;

impl Gen<'_> {
    fn event(
        &mut self,
        entity: EntityType,
        kind: EventKind,
        id: Uuid,
        data: &Value,
        at: i64,
        cause: Option<Uuid>,
    ) -> Uuid {
        if self.correlation_left == 0 {
            self.correlation = rng::uuid(&mut self.rng);
            self.correlation_left = self.rng.gen_range(1..=4);
        }
        self.correlation_left -= 1;
        let event_id = rng::uuid(&mut self.rng);
        let source = ["api", "import", "extraction"][self.rng.gen_range(0..3)];
        let user_id = self.users[self.rng.gen_range(0..self.users.len())];
        self.events.push(Event {
            id: event_id,
            tenant_id: self.tenant.id,
            entity,
            kind,
            aggregate_id: id,
            data: data.to_string().into_boxed_str(),
            metadata: format!(r#"{{"schema_version":1,"source":"{source}"}}"#).into_boxed_str(),
            causation_id: cause,
            correlation_id: self.correlation,
            user_id,
            occurred_at: at,
        });
        event_id
    }

    /// Emits Created, `updates` Updated and optionally Deleted, folding as it goes.
    #[allow(clippy::too_many_arguments)]
    fn aggregate(
        &mut self,
        entity: EntityType,
        id: Uuid,
        created: Map<String, Value>,
        updates: usize,
        deleted: bool,
        step: (i64, i64),
        patch: &mut PatchFn<'_>,
    ) -> &Aggregate {
        let mut at = self.tenant.created_at + DAY + self.rng.gen_range(0..60 * DAY);
        let mut state: Option<FoldState> = None;
        let mut prev: Option<FoldState> = None;
        let created = Value::Object(created);
        fold::apply(&mut state, EventKind::Created, &created, at);
        let mut last = self.event(entity, EventKind::Created, id, &created, at, None);
        for n in 0..updates {
            at += self.rng.gen_range(step.0..=step.1);
            let current = state.as_ref().map_or(&Value::Null, |s| &s.fields);
            let data = Value::Object(patch(&mut self.rng, current, n, at));
            if self.keep_history {
                prev.clone_from(&state);
            }
            fold::apply(&mut state, EventKind::Updated, &data, at);
            last = self.event(entity, EventKind::Updated, id, &data, at, Some(last));
        }
        if deleted {
            at += self.rng.gen_range(step.0..=step.1);
            let data = Value::Object(Map::new());
            if self.keep_history {
                prev.clone_from(&state);
            }
            fold::apply(&mut state, EventKind::Deleted, &data, at);
            self.event(entity, EventKind::Deleted, id, &data, at, Some(last));
        }
        let tid = self.tenant.id;
        self.aggregates.push(Aggregate {
            entity,
            id,
            row: state.map(|s| fold::to_row(entity, tid, id, &s)),
            prev_row: prev.map(|s| fold::to_row(entity, tid, id, &s)),
            event_count: 1 + updates + usize::from(deleted),
        });
        let i = self.aggregates.len() - 1;
        &self.aggregates[i]
    }

    fn updates(&mut self) -> usize {
        self.rng.gen_range(1..=4)
    }

    /// Deleted: about 5% of aggregates, and always the middle one of each type.
    fn deleted(&mut self, i: usize, n: usize, protected: bool) -> bool {
        let d = self.rng.gen_bool(0.05);
        !protected && (d || i == n / 2)
    }
}

/// Generates the tenant's events and folded rows. `keep_history` keeps each aggregate's
/// previous row (needed to plant read-model lag and stale cache entries).
pub fn tenant(seed: u64, tenant: &Tenant, keep_history: bool) -> TenantData {
    let mut g = Gen {
        rng: rng::stream(seed, &format!("data/{}", tenant.slug)),
        tenant,
        users: Vec::new(),
        events: Vec::new(),
        aggregates: Vec::new(),
        correlation: Uuid::nil(),
        correlation_left: 0,
        keep_history,
    };
    g.users = (0..5).map(|_| rng::uuid(&mut g.rng)).collect();
    let code_refs: Vec<String> = (0..12)
        .map(|i| {
            let dir = ["tax", "billing", "privacy", "rules"][i % 4];
            format!("src/{dir}/module_{i}.go:{}", g.rng.gen_range(10..400))
        })
        .collect();
    let shape = tenant.shape;
    let shared = SHARED_ID_TENANTS.contains(&tenant.slug.as_str());
    let mut shared_rng = rng::stream(seed, "shared-atom-ids");
    let supernode = shape.supernode.then(|| supernode_id(seed));

    // Atoms.
    let mut alive_atoms = Vec::with_capacity(shape.atoms);
    for i in 0..shape.atoms {
        let id = match i {
            0 if shape.supernode => supernode_id(seed),
            _ if shared && i < SHARED_ATOM_IDS => rng::uuid(&mut shared_rng),
            _ => rng::uuid(&mut g.rng),
        };
        let hot = i == 1 && shape.hot_aggregate_events > 0;
        let protected = i == 0 || hot || (shared && i < SHARED_ATOM_IDS);
        let deleted = g.deleted(i, shape.atoms, protected);
        let state = content::atom_state(&mut g.rng, i);
        let (updates, step) = if hot {
            (shape.hot_aggregate_events - 1, (1, 30))
        } else {
            (g.updates(), (60, 3 * DAY))
        };
        let agg = if hot {
            g.aggregate(
                EntityType::Atom,
                id,
                state,
                updates,
                false,
                step,
                &mut |_, _, n, _| content::hot_patch(n),
            )
        } else {
            g.aggregate(
                EntityType::Atom,
                id,
                state,
                updates,
                deleted,
                step,
                &mut |r, s, n, _| content::atom_patch(r, s, n),
            )
        };
        if agg.row.is_some() {
            alive_atoms.push(id);
        }
    }

    // Molecules.
    let mut alive_molecules: Vec<Uuid> = Vec::new();
    for i in 0..shape.molecules {
        let id = rng::uuid(&mut g.rng);
        let deleted = g.deleted(i, shape.molecules, false);
        let ctx = MoleculeCtx {
            alive_atoms: &alive_atoms,
            earlier_molecules: &alive_molecules,
            code_refs: &code_refs,
            supernode,
        };
        let state = content::molecule_state(&mut g.rng, i, &ctx);
        let updates = g.updates();
        let agg = g.aggregate(
            EntityType::Molecule,
            id,
            state,
            updates,
            deleted,
            (60, 3 * DAY),
            &mut |r, s, _, _| content::molecule_patch(r, s, &ctx),
        );
        if agg.row.is_some() {
            alive_molecules.push(id);
        }
    }

    // Documents.
    let mut alive_documents: Vec<(Uuid, usize)> = Vec::new();
    for i in 0..shape.documents {
        let id = rng::uuid(&mut g.rng);
        let deleted = g.deleted(i, shape.documents, false);
        let state = content::document_state(&mut g.rng, i, id);
        let updates = g.updates();
        let agg = g.aggregate(
            EntityType::Document,
            id,
            state,
            updates,
            deleted,
            (60, 3 * DAY),
            &mut |r, s, n, _| content::document_patch(r, s, n),
        );
        if let Some(row) = &agg.row {
            let len = row.get_str("content").map_or(0, |c| c.chars().count());
            alive_documents.push((id, len));
        }
    }

    // Annotations (only on live documents, atoms and molecules).
    let users = g.users.clone();
    for i in 0..shape.annotations {
        if alive_documents.is_empty() {
            break;
        }
        let id = rng::uuid(&mut g.rng);
        let deleted = g.deleted(i, shape.annotations, false);
        let ctx = AnnotationCtx {
            documents: &alive_documents,
            atoms: &alive_atoms,
            molecules: &alive_molecules,
            users: &users,
        };
        let state = content::annotation_state(&mut g.rng, &ctx);
        let updates = g.updates();
        g.aggregate(
            EntityType::Annotation,
            id,
            state,
            updates,
            deleted,
            (60, 3 * DAY),
            &mut |r, s, _, at| content::annotation_patch(r, s, &ctx, at),
        );
    }

    TenantData {
        tenant: tenant.clone(),
        users: g.users,
        code_refs,
        events: g.events,
        aggregates: g.aggregates,
    }
}

/// Picks `k` distinct items deterministically.
pub fn choose_distinct<T: Copy>(rng: &mut ChaCha8Rng, pool: &[T], k: usize) -> Vec<T> {
    pool.choose_multiple(rng, k).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants;
    use crate::SeedOptions;

    #[test]
    fn generation_is_deterministic_and_rows_are_folds() {
        let opts = SeedOptions::default();
        let ts = tenants::list(&opts);
        let t = &ts[3];
        let a = tenant(opts.rng_seed, t, false);
        let b = tenant(opts.rng_seed, t, false);
        assert_eq!(a.events.len(), b.events.len());
        assert!(a
            .events
            .iter()
            .zip(&b.events)
            .all(|(x, y)| x.id == y.id && x.data == y.data));
        assert_eq!(a.aggregates.len(), 40 + 12 + 8 + 15);
        for agg in &a.aggregates {
            let evs: Vec<(EventKind, Value, i64)> = a
                .events
                .iter()
                .filter(|e| e.aggregate_id == agg.id)
                .map(|e| {
                    (
                        e.kind,
                        serde_json::from_str(&e.data).unwrap_or(Value::Null),
                        e.occurred_at,
                    )
                })
                .collect();
            assert!((2..=6).contains(&evs.len()));
            assert!(evs.windows(2).all(|w| w[0].2 < w[1].2));
            let folded = fold::fold(evs.iter().map(|(k, d, at)| (*k, d, *at)));
            let row = folded.map(|s| fold::to_row(agg.entity, t.id, agg.id, &s));
            assert_eq!(row, agg.row);
        }
        assert!(a.aggregates.iter().any(|x| x.row.is_none()));
    }

    #[test]
    fn shared_tenants_share_atom_ids_and_acme_has_a_supernode() {
        let opts = SeedOptions::default();
        let ts = tenants::list(&opts);
        let find = |s: &str| ts.iter().find(|t| t.slug == s).cloned().expect("tenant");
        let a = tenant(opts.rng_seed, &find(SHARED_ID_TENANTS[0]), false);
        let b = tenant(opts.rng_seed, &find(SHARED_ID_TENANTS[1]), false);
        let ids = |d: &TenantData| {
            d.aggregates
                .iter()
                .take(SHARED_ATOM_IDS)
                .map(|a| a.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        let acme = tenant(opts.rng_seed, &find(BIG_TENANT), false);
        let sn = supernode_id(opts.rng_seed);
        let requiring = acme
            .live_rows(EntityType::Molecule)
            .filter(|r| r.get_uuids("required_atom_ids").contains(&sn))
            .count();
        assert!(requiring >= 2_000, "{requiring}");
    }
}
