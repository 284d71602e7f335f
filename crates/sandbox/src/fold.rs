//! Folding an aggregate's events into its read-model row.
//!
//! `*Created` sets the state to the payload, `*Updated` applies the payload as an RFC 7396 JSON
//! merge patch, `*Deleted` is a tombstone (no row). Events must come in (occurred_at, sequence)
//! order. The row carries every column: id, tenant_id, the state columns (null when absent),
//! version (number of events folded), created_at (first event) and updated_at (last event).

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::model::{ts, EntityType, EventKind, Row};

/// RFC 7396 JSON merge patch: applies `patch` to `target` in place (the `json-patch` crate;
/// its RFC test vectors live with the core's fold).
pub fn merge_patch(target: &mut Value, patch: &Value) {
    json_patch::merge(target, patch);
}

/// The state of one aggregate while folding.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldState {
    pub fields: Value,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Applies one event. `state` is None before Created and after Deleted.
/// An Updated or Deleted without a live state is ignored (it cannot apply to anything).
pub fn apply(state: &mut Option<FoldState>, kind: EventKind, data: &Value, occurred_at: i64) {
    match kind {
        EventKind::Created => {
            let mut fields = Value::Object(Map::new());
            merge_patch(&mut fields, data);
            *state = Some(FoldState {
                fields,
                version: 1,
                created_at: occurred_at,
                updated_at: occurred_at,
            });
        }
        EventKind::Updated => {
            if let Some(s) = state.as_mut() {
                merge_patch(&mut s.fields, data);
                s.version += 1;
                s.updated_at = occurred_at;
            }
        }
        EventKind::Deleted => *state = None,
    }
}

/// Folds a sequence of (kind, payload, occurred_at) events; None if the aggregate ends deleted
/// (or never was created).
pub fn fold<'a>(
    events: impl IntoIterator<Item = (EventKind, &'a Value, i64)>,
) -> Option<FoldState> {
    let mut state = None;
    for (kind, data, at) in events {
        apply(&mut state, kind, data, at);
    }
    state
}

/// The full read-model row of a folded state: every column of the table, null where absent.
pub fn to_row(entity: EntityType, tenant_id: Uuid, id: Uuid, state: &FoldState) -> Row {
    let mut json = Map::new();
    json.insert("id".into(), Value::String(id.to_string()));
    json.insert("tenant_id".into(), Value::String(tenant_id.to_string()));
    for col in entity.state_columns() {
        let v = state.fields.get(*col).cloned().unwrap_or(Value::Null);
        json.insert((*col).to_owned(), v);
    }
    json.insert("version".into(), Value::from(state.version));
    json.insert("created_at".into(), Value::String(ts(state.created_at)));
    json.insert("updated_at".into(), Value::String(ts(state.updated_at)));
    Row { entity, id, json }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fold_creates_patches_and_counts_versions() {
        let created = json!({"name":"a","description":"x","json_value":{"k":1,"m":{"n":2}}});
        let upd1 = json!({"description":null,"json_value":{"m":{"n":3,"o":4}}});
        let upd2 = json!({"name":"b"});
        let s = fold([
            (EventKind::Created, &created, 10),
            (EventKind::Updated, &upd1, 20),
            (EventKind::Updated, &upd2, 30),
        ])
        .expect("live");
        assert_eq!(s.version, 3);
        assert_eq!(s.created_at, 10);
        assert_eq!(s.updated_at, 30);
        assert_eq!(
            s.fields,
            json!({"name":"b","json_value":{"k":1,"m":{"n":3,"o":4}}})
        );
    }

    #[test]
    fn deleted_is_a_tombstone_and_recreate_starts_over() {
        let c = json!({"name":"a"});
        let d = json!({});
        assert!(fold([(EventKind::Created, &c, 1), (EventKind::Deleted, &d, 2)]).is_none());
        let s = fold([
            (EventKind::Created, &c, 1),
            (EventKind::Deleted, &d, 2),
            (EventKind::Created, &c, 3),
        ])
        .expect("recreated");
        assert_eq!((s.version, s.created_at), (1, 3));
        // An update without a live aggregate changes nothing.
        assert!(fold([(EventKind::Updated, &c, 1)]).is_none());
    }

    #[test]
    fn row_has_every_column() {
        let c = json!({"atom_type":"TextAtom","name":"n","text_value":"t"});
        let s = fold([(EventKind::Created, &c, crate::model::BASE_TIME)]).expect("live");
        let row = to_row(EntityType::Atom, Uuid::nil(), Uuid::max(), &s);
        let cols: Vec<&str> = EntityType::Atom.columns();
        assert_eq!(row.json.len(), cols.len());
        assert!(row.json["description"].is_null());
        assert_eq!(row.json["created_at"], json!("2026-01-01T00:00:00+00:00"));
        assert_eq!(row.json["version"], json!(1));
    }
}
