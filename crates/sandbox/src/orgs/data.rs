//! The orgs platform's data, generated without randomness: four fixed organizations, their
//! widget and gadget event streams, and the read-model rows as the fold of those streams
//! (`replace` semantics: an `Added`/`Changed` body is the whole new state, `Removed` deletes).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{bucket_name, Isolation, Org, ORGS, WIDGET_TTL};

/// 2026-03-01T00:00:00Z; every time is this plus a fixed offset.
pub const BASE_TIME: i64 = 1_772_323_200;
/// Namespace of every seeded UUID (`Uuid::new_v5(ID_NAMESPACE, name)`).
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x0a75_0c1e_0f0a_4d2e_9b1c_6f72_6773_0001);
/// Entries kept in each `org:{orgId}:feed` list (newest first).
pub const FEED_LEN: usize = 8;

/// The two aggregate types of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Widget,
    Gadget,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Widget, Kind::Gadget];

    /// The event log's `stream_type`.
    pub fn stream_type(self) -> &'static str {
        match self {
            Kind::Widget => "widget",
            Kind::Gadget => "gadget",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            Kind::Widget => "widgets",
            Kind::Gadget => "gadgets",
        }
    }

    pub fn id_column(self) -> &'static str {
        match self {
            Kind::Widget => "widget_id",
            Kind::Gadget => "gadget_id",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Widget => "Widget",
            Kind::Gadget => "Gadget",
        }
    }

    fn event_prefix(self) -> &'static str {
        self.label()
    }
}

/// One row of `domain_events`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainEvent {
    pub event_id: Uuid,
    /// Total order within the event table of the org's space (shared orgs share one order).
    pub position: i64,
    pub owner_org: String,
    pub stream_type: &'static str,
    pub stream_id: String,
    /// `WidgetAdded`, `WidgetChanged`, `WidgetRemoved`, `GadgetAdded`, ...
    pub kind: String,
    pub body: Value,
    /// Unix seconds.
    pub recorded_at: i64,
    pub caused_by: Option<Uuid>,
    pub correlation: Uuid,
    pub actor: String,
}

impl DomainEvent {
    /// The row as JSON keyed by column (for `jsonb_populate_recordset`).
    pub fn to_row(&self) -> Value {
        json!({
            "event_id": self.event_id,
            "position": self.position,
            "owner_org": self.owner_org,
            "stream_type": self.stream_type,
            "stream_id": self.stream_id,
            "kind": self.kind,
            "body": self.body,
            "recorded_at": ts(self.recorded_at),
            "caused_by": self.caused_by,
            "correlation": self.correlation,
            "actor": self.actor,
        })
    }
}

/// A live read-model row: the folded state of one stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub kind: Kind,
    pub id: String,
    pub owner_org: String,
    /// The state's columns (widgets: title, spec, blob_key; gadgets: label, uses).
    pub state: Map<String, Value>,
    /// Unix seconds of the stream's last event.
    pub updated_at: i64,
}

impl Row {
    /// The row as JSON keyed by column.
    pub fn to_json(&self) -> Value {
        let mut m = self.state.clone();
        m.insert(self.kind.id_column().into(), Value::from(self.id.as_str()));
        m.insert("owner_org".into(), Value::from(self.owner_org.as_str()));
        m.insert("updated_at".into(), Value::from(ts(self.updated_at)));
        Value::Object(m)
    }

    /// A widget's object key (relative to its bucket), from its `blob_key` column.
    pub fn blob_key(&self) -> Option<&str> {
        self.state.get("blob_key").and_then(Value::as_str)
    }

    /// A gadget's used widgets.
    pub fn uses(&self) -> Vec<&str> {
        self.state
            .get("uses")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// A graph node of a live row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub label: &'static str,
    pub uid: String,
    pub org_id: String,
    pub name: String,
}

/// `(gadget)-[:USES]->(widget)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uses {
    pub gadget: String,
    pub widget: String,
    pub org_id: String,
}

/// A Redis entry in database 1.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheEntry {
    /// `org:{orgId}:widget:{id}`: the widget row as JSON, with a TTL.
    Json {
        key: String,
        value: String,
        ttl: u64,
    },
    /// `org:{orgId}:feed`: recent events, newest first.
    List { key: String, items: Vec<String> },
}

impl CacheEntry {
    pub fn key(&self) -> &str {
        match self {
            CacheEntry::Json { key, .. } | CacheEntry::List { key, .. } => key,
        }
    }
}

/// An object in a per-org bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    pub bucket: String,
    pub key: String,
    pub bytes: Vec<u8>,
}

/// Everything one organization owns.
#[derive(Debug, Clone)]
pub struct OrgData {
    pub org: Org,
    /// In `position` order.
    pub events: Vec<DomainEvent>,
    /// Live rows, widgets then gadgets, by id.
    pub rows: Vec<Row>,
    /// Ids of removed widgets (events only, no row, node, key or object).
    pub removed: Vec<String>,
}

impl OrgData {
    pub fn rows_of(&self, kind: Kind) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| r.kind == kind)
    }

    pub fn nodes(&self) -> Vec<Node> {
        self.rows
            .iter()
            .map(|r| Node {
                label: r.kind.label(),
                uid: r.id.clone(),
                org_id: r.owner_org.clone(),
                name: r
                    .state
                    .get(if r.kind == Kind::Widget {
                        "title"
                    } else {
                        "label"
                    })
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect()
    }

    pub fn uses(&self) -> Vec<Uses> {
        self.rows_of(Kind::Gadget)
            .flat_map(|g| {
                g.uses().into_iter().map(|w| Uses {
                    gadget: g.id.clone(),
                    widget: w.to_owned(),
                    org_id: g.owner_org.clone(),
                })
            })
            .collect()
    }

    pub fn cache(&self) -> Vec<CacheEntry> {
        let id = self.org.id;
        let mut out: Vec<CacheEntry> = self
            .rows_of(Kind::Widget)
            .map(|r| CacheEntry::Json {
                key: format!("org:{id}:widget:{}", r.id),
                value: r.to_json().to_string(),
                ttl: WIDGET_TTL,
            })
            .collect();
        let items = self
            .events
            .iter()
            .rev()
            .take(FEED_LEN)
            .map(|e| {
                json!({"event_id": e.event_id, "kind": e.kind, "stream_id": e.stream_id, "at": ts(e.recorded_at)})
                    .to_string()
            })
            .collect();
        out.push(CacheEntry::List {
            key: format!("org:{id}:feed"),
            items,
        });
        out
    }

    pub fn objects(&self) -> Vec<StoredObject> {
        self.rows_of(Kind::Widget)
            .filter_map(|r| {
                Some(StoredObject {
                    bucket: bucket_name(self.org.handle),
                    key: r.blob_key()?.to_owned(),
                    bytes: serde_json::to_vec_pretty(&r.to_json()).ok()?,
                })
            })
            .collect()
    }
}

/// RFC 3339 in UTC, whole seconds.
pub fn ts(unix_seconds: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn uid(name: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, name.as_bytes())
}

const COLORS: [&str; 5] = ["teal", "amber", "slate", "coral", "indigo"];
const SHAPES: [&str; 4] = ["dial", "slider", "toggle", "gauge"];

fn widget_state(org: &Org, id: &str, n: usize, rev: u32) -> Value {
    let title = if rev == 1 {
        format!("{} {} {n}", org.name, SHAPES[n % SHAPES.len()])
    } else {
        format!("{} {} {n} (rev {rev})", org.name, SHAPES[n % SHAPES.len()])
    };
    json!({
        "title": title,
        "spec": {"color": COLORS[(n + rev as usize) % COLORS.len()], "size": 10 * n as u32 + rev, "rev": rev},
        "blob_key": format!("widgets/{id}.json"),
    })
}

/// Appends events to one org's list, tracking streams for `caused_by`.
struct Log<'a> {
    org: &'a Org,
    clock: i64,
    events: Vec<DomainEvent>,
    last: BTreeMap<String, Uuid>,
}

impl Log<'_> {
    fn push(
        &mut self,
        kind: Kind,
        stream_id: &str,
        verb: &str,
        body: Value,
        correlation: &str,
        actor: String,
    ) {
        self.clock += 90;
        let n = self.events.len();
        let event_id = uid(&format!("event/{}/{n}", self.org.id));
        let caused_by = self.last.insert(stream_id.to_owned(), event_id);
        self.events.push(DomainEvent {
            event_id,
            position: 0,
            owner_org: self.org.id.to_owned(),
            stream_type: kind.stream_type(),
            stream_id: stream_id.to_owned(),
            kind: format!("{}{verb}", kind.event_prefix()),
            body,
            recorded_at: self.clock,
            caused_by,
            correlation: uid(&format!("correlation/{}/{correlation}", self.org.id)),
            actor,
        });
    }
}

/// One org's events: widgets added (one import), gadgets added, some changes, one removal.
fn events(index: usize, org: &Org) -> Vec<DomainEvent> {
    let short = org.id.trim_start_matches("org-");
    let widgets = 5 + index;
    let gadgets = 3;
    let widget_id = |n: usize| format!("w-{short}-{n:02}");
    let mut log = Log {
        org,
        clock: BASE_TIME + index as i64 * 86_400,
        events: Vec::new(),
        last: BTreeMap::new(),
    };
    let admin = format!("usr:{}-admin", org.handle);
    for n in 1..=widgets {
        let id = widget_id(n);
        log.push(
            Kind::Widget,
            &id,
            "Added",
            widget_state(org, &id, n, 1),
            "import",
            "svc:importer".into(),
        );
    }
    for k in 1..=gadgets {
        let id = format!("g-{short}-{k:02}");
        let body = json!({"label": format!("{} gadget {k}", org.handle), "uses": [widget_id(k), widget_id(k + 1)]});
        log.push(
            Kind::Gadget,
            &id,
            "Added",
            body,
            "import",
            "svc:importer".into(),
        );
    }
    for n in (2..widgets).step_by(2) {
        let id = widget_id(n);
        log.push(
            Kind::Widget,
            &id,
            "Changed",
            widget_state(org, &id, n, 2),
            &format!("edit/{n}"),
            admin.clone(),
        );
    }
    let id = format!("g-{short}-01");
    let body =
        json!({"label": format!("{} gadget 1 (renamed)", org.handle), "uses": [widget_id(1)]});
    log.push(Kind::Gadget, &id, "Changed", body, "edit/g1", admin.clone());
    log.push(
        Kind::Widget,
        &widget_id(widgets),
        "Removed",
        json!({}),
        "cleanup",
        format!("usr:{}-ops", org.handle),
    );
    log.events
}

/// Folds one org's events into live rows and removed ids (`replace` semantics).
pub fn fold(events: &[DomainEvent]) -> (Vec<Row>, Vec<String>) {
    let mut live: BTreeMap<(Kind, String), Row> = BTreeMap::new();
    let mut removed = Vec::new();
    for e in events {
        let kind = if e.stream_type == Kind::Widget.stream_type() {
            Kind::Widget
        } else {
            Kind::Gadget
        };
        let key = (kind, e.stream_id.clone());
        if e.kind.ends_with("Removed") {
            live.remove(&key);
            removed.push(e.stream_id.clone());
        } else {
            let state = e.body.as_object().cloned().unwrap_or_default();
            live.insert(
                key,
                Row {
                    kind,
                    id: e.stream_id.clone(),
                    owner_org: e.owner_org.clone(),
                    state,
                    updated_at: e.recorded_at,
                },
            );
        }
    }
    (live.into_values().collect(), removed)
}

/// Every org's data. Positions are numbered per event table: the shared orgs' events share
/// `app.domain_events` of the main database, every dedicated org has its own table.
pub fn generate() -> Vec<OrgData> {
    let mut data: Vec<OrgData> = ORGS
        .iter()
        .enumerate()
        .map(|(i, org)| {
            let events = events(i, org);
            let (rows, removed) = fold(&events);
            OrgData {
                org: *org,
                events,
                rows,
                removed,
            }
        })
        .collect();
    let mut shared: Vec<(i64, Uuid, usize, usize)> = Vec::new();
    for (i, d) in data.iter_mut().enumerate() {
        if d.org.isolation == Isolation::Shared {
            shared.extend(
                d.events
                    .iter()
                    .enumerate()
                    .map(|(j, e)| (e.recorded_at, e.event_id, i, j)),
            );
        } else {
            for (j, e) in d.events.iter_mut().enumerate() {
                e.position = j as i64 + 1;
            }
        }
    }
    shared.sort_unstable();
    for (p, (_, _, i, j)) in shared.into_iter().enumerate() {
        data[i].events[j].position = p as i64 + 1;
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_folds_to_the_rows() {
        let a = generate();
        let b = generate();
        assert_eq!(a.len(), ORGS.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.events, y.events);
            assert_eq!(x.rows, y.rows);
        }
        for d in &a {
            let widgets = d.rows_of(Kind::Widget).count();
            assert!(widgets >= 4, "{}: {widgets} widgets", d.org.handle);
            assert_eq!(d.rows_of(Kind::Gadget).count(), 3);
            assert_eq!(d.removed.len(), 1);
            assert!(d
                .events
                .iter()
                .all(|e| e.owner_org == d.org.id && e.position > 0));
            // Every USES target is a live widget of the same org.
            for u in d.uses() {
                assert!(d.rows_of(Kind::Widget).any(|w| w.id == u.widget), "{u:?}");
            }
            assert_eq!(d.objects().len(), widgets);
            assert_eq!(d.cache().len(), widgets + 1);
        }
        // Positions are unique per event table.
        let mut shared: Vec<i64> = a
            .iter()
            .filter(|d| d.org.isolation == Isolation::Shared)
            .flat_map(|d| d.events.iter().map(|e| e.position))
            .collect();
        let n = shared.len();
        shared.sort_unstable();
        shared.dedup();
        assert_eq!(shared.len(), n);
        assert_eq!(shared.last().copied(), Some(n as i64));
    }

    #[test]
    fn event_kinds_are_the_platforms() {
        let d = generate();
        let mut kinds: Vec<&str> = d
            .iter()
            .flat_map(|d| d.events.iter().map(|e| e.kind.as_str()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(
            kinds,
            [
                "GadgetAdded",
                "GadgetChanged",
                "WidgetAdded",
                "WidgetChanged",
                "WidgetRemoved"
            ]
        );
    }
}
