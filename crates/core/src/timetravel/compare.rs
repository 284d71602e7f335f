//! Comparing a reconstructed state with what a store holds. JSON from different sources spells
//! the same number differently (`1` from a numeric column, `1.0` from a payload), and the same
//! time differently (`Z`, `+00:00`), so numbers and RFC 3339 times are compared by value.

use serde::Serialize;
use serde_json::Value;

/// Equal as data: numbers by value, objects key by key, arrays element by element.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::String(x), Value::String(y)) => x == y || same_instant(x, y),
        _ => a == b,
    }
}

/// Two RFC 3339 times for the same instant, however spelled (`Z` or `+00:00`, fractions):
/// PostgreSQL's JSON and a cache's JSON write times differently.
fn same_instant(x: &str, y: &str) -> bool {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    matches!((parse(x), parse(y)), (Some(a), Some(b)) if a == b)
}

/// Where a store stands against the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// The store holds the current fold (or, for a deleted aggregate, nothing).
    InSync,
    /// The store holds the state of an earlier event: the later events explain the difference.
    Lag {
        /// Events applied since the state the store holds.
        behind: u32,
        /// The last event the store reflects.
        at_sequence: Option<String>,
        at_time: Option<String>,
    },
    /// The store holds a value no point of the history had.
    Drift,
    /// The aggregate is live but the store has nothing of it.
    Missing,
    /// The aggregate is deleted (or was never created) but the store still has it.
    Orphaned,
    /// The store could not be read, or the profile gives it nothing of this entity type.
    Unknown { reason: String },
}

/// A store's value against the current fold.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StoreComparison {
    pub store: crate::error::StoreKind,
    /// Where: the table, the node's label, the cache key.
    pub location: String,
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub value: Option<Value>,
    /// From the fold to the store's value, over the members the store carries.
    pub differences: Vec<super::fold::PathChange>,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// The members of `candidate` that the fold speaks for: every member the aggregate's state has
/// had at some point (`keys`). A member the state no longer has must be null or absent there;
/// other members (bookkeeping columns, ids) are not the fold's business.
pub fn project(candidate: &Value, keys: &std::collections::BTreeSet<String>) -> Value {
    let mut out = serde_json::Map::new();
    if let Value::Object(members) = candidate {
        for key in keys {
            match members.get(key) {
                Some(Value::Null) | None => {}
                Some(v) => {
                    out.insert(key.clone(), v.clone());
                }
            }
        }
    }
    Value::Object(out)
}

/// Whether a store's projected value is the state (a state's null members count as absent).
pub fn matches(
    state: Option<&Value>,
    projected: &Value,
    keys: &std::collections::BTreeSet<String>,
) -> bool {
    match state {
        Some(s) => same_json(&project(s, keys), projected),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_json(&json!(1), &json!(1.0)));
        assert!(same_json(
            &json!({"a": [1, {"b": 2.50}]}),
            &json!({"a": [1.0, {"b": 2.5}]})
        ));
        assert!(!same_json(&json!(1), &json!("1")));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
        assert!(same_json(
            &json!({"t": "2026-03-01T00:01:30Z"}),
            &json!({"t": "2026-03-01T00:01:30+00:00"})
        ));
        assert!(same_json(
            &json!("2026-03-01T02:01:30.000+02:00"),
            &json!("2026-03-01T00:01:30Z")
        ));
        assert!(!same_json(
            &json!("2026-03-01T00:01:31Z"),
            &json!("2026-03-01T00:01:30Z")
        ));
    }
}
