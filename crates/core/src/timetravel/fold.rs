//! Folding an aggregate's events into its state, one step at a time, with the profile's
//! semantics: a create sets the state to its payload, an update applies its payload as an
//! RFC 7396 JSON merge patch (or replaces the state, per the profile), a delete leaves a
//! tombstone (no state). Pure: no I/O, so it is tested against a reference fold on random
//! streams.
//!
//! Events come in (time, sequence) order. What cannot be applied is reported as an
//! [`Anomaly`] on its step and skipped, never aborting the rest: a payload that is not JSON, an
//! update or delete with no live state, a create over a live state (applied: it resets), a
//! sequence seen twice, and a sequence lower than the one before (times out of order).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::profile::{EventKind, EventSemantics, UpdateMode};

/// The state a create sets: its payload merged into an empty object (RFC 7396), which is the
/// payload without its null members at any depth of nested objects. Done in place: the
/// payload is not copied as `json_patch::merge` would.
fn created(mut payload: Value) -> Value {
    fn strip_nulls(v: &mut Value) {
        if let Value::Object(members) = v {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(strip_nulls);
        }
    }
    strip_nulls(&mut payload);
    payload
}

/// RFC 3339, UTC, milliseconds: how event times are shown (text order is time order).
pub fn rfc3339(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One event as read from the log. `payload` is the column's text, parsed here so that a
/// payload that is not JSON is reported instead of failing the read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    pub id: Option<String>,
    pub sequence: Option<i64>,
    /// Kept as read: formatting a time costs more than the rest of a row, so it is done only
    /// for what is shown ([`rfc3339`]).
    pub time: DateTime<Utc>,
    pub event_type: String,
    pub actor: Option<String>,
    pub causation: Option<String>,
    pub correlation: Option<String>,
    pub payload: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// The payload is not JSON (or is missing); the event is skipped.
    BadPayload,
    /// An update (or delete) before any create, or after a delete; skipped.
    NoLiveState,
    /// A create while the aggregate is live; applied (the state starts over).
    CreateOverLive,
    /// Another event of the aggregate has the same sequence.
    DuplicateSequence,
    /// The sequence is lower than the previous event's: the times disagree with the sequence.
    OutOfOrder,
    /// The event type is none of the profile's create, update or delete types; no change.
    UnknownType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Anomaly {
    pub kind: AnomalyKind,
    pub message: String,
}

/// What a step did to one JSON path (`/a/b`, RFC 6901).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum PathChange {
    Added {
        path: String,
        #[cfg_attr(feature = "specta", specta(type = crate::lookup::JsonValue))]
        value: Value,
    },
    Removed {
        path: String,
        #[cfg_attr(feature = "specta", specta(type = crate::lookup::JsonValue))]
        old: Value,
    },
    Changed {
        path: String,
        #[cfg_attr(feature = "specta", specta(type = crate::lookup::JsonValue))]
        old: Value,
        #[cfg_attr(feature = "specta", specta(type = crate::lookup::JsonValue))]
        new: Value,
    },
}

/// The fold in progress.
#[derive(Debug, Clone)]
pub struct Folder<'s> {
    semantics: &'s EventSemantics,
    state: Option<Value>,
    /// Events applied so far (skipped ones not counted).
    version: u64,
    last_sequence: Option<i64>,
    sequences: HashSet<i64>,
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: EventKind,
    pub applied: bool,
    pub anomalies: Vec<Anomaly>,
}

impl<'s> Folder<'s> {
    pub fn new(semantics: &'s EventSemantics) -> Self {
        Self {
            semantics,
            state: None,
            version: 0,
            last_sequence: None,
            sequences: HashSet::new(),
        }
    }

    pub fn state(&self) -> Option<&Value> {
        self.state.as_ref()
    }

    pub fn into_state(self) -> Option<Value> {
        self.state
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// Applies one event.
    pub fn apply(&mut self, event: &RawEvent) -> Step {
        let mut anomalies = Vec::new();
        if let Some(seq) = event.sequence {
            if !self.sequences.insert(seq) {
                anomalies.push(anomaly(
                    AnomalyKind::DuplicateSequence,
                    format!("sequence {seq} was already seen for this aggregate"),
                ));
            }
            if let Some(last) = self.last_sequence.filter(|last| seq < *last) {
                anomalies.push(anomaly(
                    AnomalyKind::OutOfOrder,
                    format!(
                        "sequence {seq} comes after sequence {last} by time ({})",
                        rfc3339(&event.time)
                    ),
                ));
            }
            self.last_sequence = Some(self.last_sequence.map_or(seq, |l| l.max(seq)));
        }
        let kind = self.semantics.classify(&event.event_type);
        let payload = match (kind, event.payload.as_deref()) {
            (EventKind::Delete | EventKind::Other, _) => None,
            (_, Some(text)) => match serde_json::from_str::<Value>(text) {
                Ok(v) => Some(v),
                Err(e) => {
                    anomalies.push(anomaly(
                        AnomalyKind::BadPayload,
                        format!("the payload is not JSON ({e}); skipped"),
                    ));
                    return Step {
                        kind,
                        applied: false,
                        anomalies,
                    };
                }
            },
            (_, None) => {
                anomalies.push(anomaly(
                    AnomalyKind::BadPayload,
                    "the payload is missing; skipped".to_owned(),
                ));
                return Step {
                    kind,
                    applied: false,
                    anomalies,
                };
            }
        };
        let applied = match (kind, payload) {
            (EventKind::Create, Some(p)) => {
                if self.state.is_some() {
                    anomalies.push(anomaly(
                        AnomalyKind::CreateOverLive,
                        "created again while live: the state starts over".to_owned(),
                    ));
                }
                self.state = Some(created(p));
                true
            }
            (EventKind::Update, Some(p)) => match self.state.as_mut() {
                Some(state) => {
                    match self.semantics.update_mode {
                        UpdateMode::MergePatch => json_patch::merge(state, &p),
                        UpdateMode::Replace => *state = p,
                    }
                    true
                }
                None => {
                    anomalies.push(anomaly(
                        AnomalyKind::NoLiveState,
                        "an update with no live state (before any create, or after a delete); skipped"
                            .to_owned(),
                    ));
                    false
                }
            },
            (EventKind::Delete, _) => {
                if self.state.take().is_none() {
                    anomalies.push(anomaly(
                        AnomalyKind::NoLiveState,
                        "a delete with no live state".to_owned(),
                    ));
                    false
                } else {
                    true
                }
            }
            (EventKind::Other, _) => {
                anomalies.push(anomaly(
                    AnomalyKind::UnknownType,
                    format!(
                        "{} is not a create, update or delete type of the profile; no change",
                        event.event_type
                    ),
                ));
                false
            }
            (EventKind::Create | EventKind::Update, None) => false,
        };
        if applied {
            self.version += 1;
        }
        Step {
            kind,
            applied,
            anomalies,
        }
    }
}

fn anomaly(kind: AnomalyKind, message: String) -> Anomaly {
    Anomaly { kind, message }
}

/// The changes from `old` to `new` by JSON path: objects are compared key by key, anything
/// else as a whole value. A missing state is `None` (before create, after delete).
pub fn diff(old: Option<&Value>, new: Option<&Value>) -> Vec<PathChange> {
    let mut out = Vec::new();
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => out.push(PathChange::Added {
            path: String::new(),
            value: n.clone(),
        }),
        (Some(o), None) => out.push(PathChange::Removed {
            path: String::new(),
            old: o.clone(),
        }),
        (Some(o), Some(n)) => diff_values("", o, n, &mut out),
    }
    out
}

fn diff_values(path: &str, old: &Value, new: &Value, out: &mut Vec<PathChange>) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (key, ov) in o {
                let child = format!("{path}/{}", escape_pointer(key));
                match n.get(key) {
                    Some(nv) => diff_values(&child, ov, nv, out),
                    None => out.push(PathChange::Removed {
                        path: child,
                        old: ov.clone(),
                    }),
                }
            }
            for (key, nv) in n {
                if !o.contains_key(key) {
                    out.push(PathChange::Added {
                        path: format!("{path}/{}", escape_pointer(key)),
                        value: nv.clone(),
                    });
                }
            }
        }
        _ if old == new => {}
        _ => out.push(PathChange::Changed {
            path: path.to_owned(),
            old: old.clone(),
            new: new.clone(),
        }),
    }
}

/// RFC 6901: `~` is `~0`, `/` is `~1`.
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn semantics() -> EventSemantics {
        EventSemantics::default()
    }

    fn event(seq: i64, time: &str, event_type: &str, payload: Option<&str>) -> RawEvent {
        RawEvent {
            id: Some(format!("e{seq}")),
            sequence: Some(seq),
            time: DateTime::parse_from_rfc3339(time)
                .expect("test times are RFC 3339")
                .with_timezone(&Utc),
            event_type: event_type.to_owned(),
            actor: None,
            causation: None,
            correlation: None,
            payload: payload.map(str::to_owned),
        }
    }

    /// A create is its payload merged into an empty object, without the copy.
    #[test]
    fn a_create_is_its_payload_merged_into_nothing() {
        for payload in [
            json!({"a": 1, "b": null}),
            json!({"a": {"b": null, "c": {"d": null, "e": [null, {"f": null}]}}, "g": []}),
            json!([1, null]),
            json!("text"),
            json!(null),
            json!({}),
        ] {
            let mut merged = json!({});
            json_patch::merge(&mut merged, &payload);
            assert_eq!(created(payload.clone()), merged, "{payload}");
        }
    }

    /// The RFC 7396 appendix A examples: (target, patch, result).
    #[test]
    fn merge_patch_follows_rfc_7396() {
        let vectors = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (
                json!({"a":"b","b":"c"}),
                json!({"a":null}),
                json!({"b":"c"}),
            ),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (
                json!({"a":{"b":"c"}}),
                json!({"a":{"b":"d","c":null}}),
                json!({"a":{"b":"d"}}),
            ),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (
                json!({}),
                json!({"a":{"bb":{"ccc":null}}}),
                json!({"a":{"bb":{}}}),
            ),
        ];
        let s = semantics();
        for (target, patch, result) in vectors {
            // Through the fold: a create whose payload is the target (its merge into {} keeps
            // every non-null member, so targets with null members are set directly), then an
            // update with the patch.
            let mut folder = Folder::new(&s);
            folder.state = Some(target.clone());
            let step = folder.apply(&event(
                2,
                "2026-01-01T00:00:00Z",
                "AtomUpdated",
                Some(&patch.to_string()),
            ));
            assert!(step.applied);
            assert_eq!(folder.state(), Some(&result), "{target} + {patch}");
        }
    }

    #[test]
    fn anomalies_are_reported_in_place_and_skipped() {
        let s = semantics();
        let mut f = Folder::new(&s);
        let t = "2026-01-01T00:00:00Z";
        let steps = [
            f.apply(&event(1, t, "AtomUpdated", Some(r#"{"a":1}"#))),
            f.apply(&event(2, t, "AtomCreated", Some(r#"{"a":1,"b":2}"#))),
            f.apply(&event(3, t, "AtomUpdated", Some("{not json"))),
            f.apply(&event(3, t, "AtomUpdated", Some(r#"{"b":null}"#))),
            f.apply(&event(2, t, "AtomUpdated", Some(r#"{"c":3}"#))),
            f.apply(&event(5, t, "AtomArchived", Some("{}"))),
            f.apply(&event(6, t, "AtomCreated", Some(r#"{"z":0}"#))),
            f.apply(&event(7, t, "AtomDeleted", None)),
            f.apply(&event(8, t, "AtomDeleted", None)),
        ];
        let kinds: Vec<Vec<AnomalyKind>> = steps
            .iter()
            .map(|s| s.anomalies.iter().map(|a| a.kind).collect())
            .collect();
        use AnomalyKind::*;
        assert_eq!(
            kinds,
            vec![
                vec![NoLiveState],
                vec![],
                vec![BadPayload],
                vec![DuplicateSequence],
                vec![DuplicateSequence, OutOfOrder],
                vec![UnknownType],
                vec![CreateOverLive],
                vec![],
                vec![NoLiveState],
            ]
        );
        assert_eq!(f.state(), None, "deleted");
        assert_eq!(
            f.version(),
            5,
            "created, updated twice, created again, deleted"
        );
    }

    #[test]
    fn diffs_name_json_paths() {
        let old = json!({"a": 1, "b": {"c": 2, "d/e": 3}, "gone": true});
        let new = json!({"a": 2, "b": {"c": 2, "d/e": 4}, "new": [1]});
        let changes = diff(Some(&old), Some(&new));
        assert_eq!(
            changes,
            vec![
                PathChange::Changed {
                    path: "/a".into(),
                    old: json!(1),
                    new: json!(2)
                },
                PathChange::Changed {
                    path: "/b/d~1e".into(),
                    old: json!(3),
                    new: json!(4)
                },
                PathChange::Removed {
                    path: "/gone".into(),
                    old: json!(true)
                },
                PathChange::Added {
                    path: "/new".into(),
                    value: json!([1])
                },
            ]
        );
        assert!(diff(Some(&old), Some(&old)).is_empty());
        assert_eq!(diff(None, Some(&new)).len(), 1);
    }

    /// A generated event: its kind (0 create, 1 update, 2 delete) and payload members (`None`
    /// is JSON null).
    type GenEvent = (u8, Vec<(String, Option<i64>)>);

    /// The reference fold: the simplest statement of the semantics, on maps of scalars.
    fn reference(events: &[GenEvent]) -> Option<std::collections::BTreeMap<String, i64>> {
        let mut state: Option<std::collections::BTreeMap<String, i64>> = None;
        for (kind, fields) in events {
            match kind % 3 {
                0 => {
                    // The payload object keeps the last value of a repeated key.
                    let last: std::collections::BTreeMap<&String, Option<i64>> =
                        fields.iter().map(|(k, v)| (k, *v)).collect();
                    state = Some(
                        last.into_iter()
                            .filter_map(|(k, v)| v.map(|v| (k.clone(), v)))
                            .collect(),
                    )
                }
                1 => {
                    if let Some(s) = state.as_mut() {
                        for (k, v) in fields {
                            match v {
                                Some(v) => {
                                    s.insert(k.clone(), *v);
                                }
                                None => {
                                    s.remove(k);
                                }
                            }
                        }
                    }
                }
                _ => state = None,
            }
        }
        state
    }

    proptest! {
        /// Random streams of creates, updates (with nulls) and deletes fold as the reference
        /// does, and the diffs of the steps replay the state.
        #[test]
        fn folds_like_the_reference(
            events in proptest::collection::vec(
                (0u8..3, proptest::collection::vec(("[a-d]", proptest::option::of(0i64..5)), 0..4)),
                0..40,
            )
        ) {
            let s = semantics();
            let mut f = Folder::new(&s);
            let mut replayed: Option<Value> = None;
            for (i, (kind, fields)) in events.iter().enumerate() {
                let event_type = ["AtomCreated", "AtomUpdated", "AtomDeleted"][usize::from(kind % 3)];
                let payload: serde_json::Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.map_or(Value::Null, Value::from)))
                    .collect();
                let before = f.state().cloned();
                f.apply(&event(i as i64, "2026-01-01T00:00:00Z", event_type, Some(&Value::Object(payload).to_string())));
                for change in diff(before.as_ref(), f.state()) {
                    apply_change(&mut replayed, change);
                }
                prop_assert_eq!(&replayed, &f.state().cloned());
            }
            let want = reference(&events).map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            });
            prop_assert_eq!(f.into_state(), want);
        }
    }

    /// Applies one change of a diff (flat objects only, as the property test makes).
    fn apply_change(state: &mut Option<Value>, change: PathChange) {
        match change {
            PathChange::Added { path, value } if path.is_empty() => *state = Some(value),
            PathChange::Removed { path, .. } if path.is_empty() => *state = None,
            PathChange::Added { path, value }
            | PathChange::Changed {
                path, new: value, ..
            } => {
                if let Some(Value::Object(m)) = state.as_mut() {
                    m.insert(path.trim_start_matches('/').to_owned(), value);
                } else {
                    *state = Some(value);
                }
            }
            PathChange::Removed { path, .. } => {
                if let Some(Value::Object(m)) = state.as_mut() {
                    m.remove(path.trim_start_matches('/'));
                }
            }
        }
    }
}
