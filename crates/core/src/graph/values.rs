//! Bolt values as JSON, for consoles, inspectors and exports: nodes as `{"labels",
//! "properties"}`, relationships as `{"type", "properties"}`, paths as their nodes and
//! relationships, bytes as hex, temporal and spatial values as text (`typed_json::display_text`).

use neo4rs::{BoltMap, BoltType};
use serde_json::{json, Value};

pub fn to_json(value: &BoltType) -> Value {
    match value {
        BoltType::Null(_) => Value::Null,
        BoltType::String(s) => Value::String(s.value.clone()),
        BoltType::Boolean(b) => Value::Bool(b.value),
        BoltType::Integer(i) => json!(i.value),
        BoltType::Float(f) => json!(f.value),
        BoltType::List(l) => Value::Array(l.value.iter().map(to_json).collect()),
        BoltType::Map(m) => map_json(m),
        BoltType::Node(n) => json!({
            "labels": n.labels.value.iter().map(to_json).collect::<Vec<_>>(),
            "properties": map_json(&n.properties),
        }),
        BoltType::Relation(r) => json!({
            "type": r.typ.value,
            "properties": map_json(&r.properties),
        }),
        BoltType::UnboundedRelation(r) => json!({
            "type": r.typ.value,
            "properties": map_json(&r.properties),
        }),
        BoltType::Path(p) => json!({
            "nodes": p.nodes.value.iter().map(to_json).collect::<Vec<_>>(),
            "relationships": p.rels.value.iter().map(to_json).collect::<Vec<_>>(),
        }),
        BoltType::Bytes(b) => Value::String(crate::cache::key_name::hex(&b.value)),
        // Times, durations and points: ISO 8601 and `point({...})` (neo4rs's own display of
        // them is "to_string not implemented").
        other => Value::String(
            super::typed_json::display_text(other).unwrap_or_else(|| other.to_string()),
        ),
    }
}

/// Column `key` of a Bolt row as JSON.
pub fn column_json(row: &neo4rs::Row, key: &str) -> crate::error::Result<Value> {
    row.get::<BoltType>(key)
        .map(|v| to_json(&v))
        .map_err(|e| crate::error::Error::query(crate::error::StoreKind::Graph, e))
}

pub fn map_json(m: &BoltMap) -> Value {
    Value::Object(
        m.value
            .iter()
            .map(|(k, v)| (k.value.clone(), to_json(v)))
            .collect(),
    )
}

/// A property as text: strings as they are, other scalars as JSON, `null` and absence as none.
pub fn property_text(m: &BoltMap, name: &str) -> Option<String> {
    match m.value.iter().find(|(k, _)| k.value == name)?.1 {
        BoltType::Null(_) => None,
        BoltType::String(s) => Some(s.value.clone()),
        other => Some(to_json(other).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use neo4rs::{BoltInteger, BoltList, BoltNode, BoltString};

    use super::*;

    #[test]
    fn nodes_and_properties_become_json() {
        let mut props = BoltMap::new();
        props.put(BoltString::from("id"), BoltType::from("a1"));
        props.put(BoltString::from("n"), BoltType::from(7_i64));
        let node = BoltNode::new(
            BoltInteger::new(3),
            BoltList::from(vec![BoltType::from("Atom")]),
            props.clone(),
        );
        assert_eq!(
            to_json(&BoltType::Node(node)),
            json!({"labels": ["Atom"], "properties": {"id": "a1", "n": 7}})
        );
        assert_eq!(property_text(&props, "id").as_deref(), Some("a1"));
        assert_eq!(property_text(&props, "n").as_deref(), Some("7"));
        assert_eq!(property_text(&props, "missing"), None);
    }
}
