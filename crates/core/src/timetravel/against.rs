//! The reconstructed current state against the read-model row, the graph node's properties and
//! the cached value. Each store's value is projected on the members the fold speaks for (every
//! member the state has had; for the graph, which projects a few properties, only those the
//! node carries), then matched against the current state, and, failing that, against every
//! earlier state: a match there is lag (later events explain the difference), no match at all
//! is drift.

use std::collections::BTreeSet;

use neo4rs::query;
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;

use super::compare::{matches, project, StoreComparison, Verdict};
use super::fold::{self, diff, Folder};
use super::load;
use crate::error::{Error, Result, StoreKind};
use crate::lookup::TenantRef;
use crate::pg_types::table_columns;
use crate::platform::Platform;
use crate::profile::{fill_pattern, EntitySpec};
use crate::stores::with_timeout;
use crate::tenants::Tenant;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub tenant: TenantRef,
    pub aggregate_id: String,
    pub aggregate_type: Option<String>,
    pub total_events: u32,
    pub version: u32,
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub state: Option<Value>,
    pub stores: Vec<StoreComparison>,
}

/// The version, sequence and time of the latest earlier state a store matches.
type EarlierMatch = (u32, Option<String>, Option<String>);

/// A store's value: `Ok(None)` when it has nothing of the aggregate.
type Found = std::result::Result<(String, Option<Value>), String>;

pub async fn compare(
    platform: &Platform,
    tenant: &Tenant,
    aggregate_id: &str,
) -> Result<Comparison> {
    // First pass: the current state, and every member the state has ever had.
    let spec = platform.profile.events_spec()?;
    let mut folder = Folder::new(&spec.semantics);
    let mut keys = BTreeSet::new();
    let mut total = 0u32;
    let aggregate_type = load::each_event(platform, tenant, aggregate_id, |event| {
        folder.apply(&event);
        if let Some(Value::Object(m)) = folder.state() {
            keys.extend(m.keys().cloned());
        }
        total += 1;
        true
    })
    .await?;
    if total == 0 {
        return Err(Error::NotFound(format!(
            "tenant {} has no events of aggregate {aggregate_id:?}",
            tenant.slug
        )));
    }
    let version = folder.version() as u32;
    let state = folder.into_state();
    let entity = aggregate_type
        .as_deref()
        .and_then(|t| platform.profile.entity(t))
        .cloned();

    let (row, node, cached) = tokio::join!(
        row(platform, tenant, entity.as_ref(), aggregate_id),
        node(platform, tenant, entity.as_ref(), aggregate_id),
        cached(platform, tenant, entity.as_ref(), aggregate_id),
    );
    let found = [
        (StoreKind::Postgres, row),
        (StoreKind::Graph, node),
        (StoreKind::Redis, cached),
    ];

    // The members each store is judged on: all of them, but for the graph only those its node
    // carries.
    let store_keys: Vec<BTreeSet<String>> = found
        .iter()
        .map(|(store, f)| match (store, f) {
            (StoreKind::Graph, Ok((_, Some(Value::Object(props))))) => keys
                .iter()
                .filter(|k| props.contains_key(k.as_str()))
                .cloned()
                .collect(),
            _ => keys.clone(),
        })
        .collect();
    let current = |v: &Option<Value>, keys: &BTreeSet<String>| match (v, &state) {
        (None, None) => true,
        (Some(v), Some(_)) => matches(state.as_ref(), &project(v, keys), keys),
        _ => false,
    };
    // Second pass, only when some store differs from the current state: the latest earlier
    // state each such store matches.
    let needs_history = found
        .iter()
        .zip(&store_keys)
        .any(|((_, f), k)| matches!(f, Ok((_, v)) if v.is_some() && !current(v, k)));
    let mut last_match: [Option<EarlierMatch>; 3] = [None, None, None];
    if needs_history {
        let projected: Vec<Option<Value>> = found
            .iter()
            .zip(&store_keys)
            .map(|((_, f), k)| match f {
                Ok((_, Some(v))) if !current(&Some(v.clone()), k) => Some(project(v, k)),
                _ => None,
            })
            .collect();
        let mut folder = Folder::new(&spec.semantics);
        load::each_event(platform, tenant, aggregate_id, |event| {
            let step = folder.apply(&event);
            if step.applied {
                for (i, p) in projected.iter().enumerate() {
                    if let Some(p) = p {
                        if matches(folder.state(), p, &store_keys[i]) {
                            last_match[i] = Some((
                                folder.version() as u32,
                                event.sequence.map(|s| s.to_string()),
                                Some(fold::rfc3339(&event.time)),
                            ));
                        }
                    }
                }
            }
            true
        })
        .await?;
    }

    let stores = found
        .into_iter()
        .zip(last_match)
        .zip(&store_keys)
        .map(|(((store, f), earlier), keys)| {
            let (location, value) = match f {
                Ok(found) => found,
                Err(reason) => {
                    return StoreComparison {
                        store,
                        location: String::new(),
                        value: None,
                        differences: Vec::new(),
                        verdict: Verdict::Unknown { reason },
                    }
                }
            };
            let differences = match &value {
                Some(v) => diff(
                    state.as_ref().map(|s| project(s, keys)).as_ref(),
                    Some(&project(v, keys)),
                ),
                None => Vec::new(),
            };
            let verdict = match (&value, &state) {
                (None, None) => Verdict::InSync,
                (None, Some(_)) => Verdict::Missing,
                (Some(_), None) => Verdict::Orphaned,
                (Some(_), Some(_)) if current(&value, keys) => Verdict::InSync,
                (Some(_), Some(_)) => match earlier {
                    Some((v, at_sequence, at_time)) => Verdict::Lag {
                        behind: version.saturating_sub(v),
                        at_sequence,
                        at_time,
                    },
                    None => Verdict::Drift,
                },
            };
            StoreComparison {
                store,
                location,
                value,
                differences: if matches!(verdict, Verdict::InSync) {
                    Vec::new()
                } else {
                    differences
                },
                verdict,
            }
        })
        .collect();
    Ok(Comparison {
        tenant: TenantRef::from(tenant),
        aggregate_id: aggregate_id.to_owned(),
        aggregate_type,
        total_events: total,
        version,
        state,
        stores,
    })
}

fn no_entity(what: &str) -> Found {
    Err(format!("the profile gives this aggregate type no {what}"))
}

/// The read-model row as JSON.
async fn row(platform: &Platform, tenant: &Tenant, entity: Option<&EntitySpec>, id: &str) -> Found {
    let Some(entity) = entity else {
        return no_entity("read-model table");
    };
    let result: Result<(String, Option<Value>)> = async {
        let space = platform.tenant_space(tenant)?;
        let location = space.table(&entity.table);
        let columns = table_columns(&space, &entity.table).await?;
        let cast = columns
            .iter()
            .find(|c| c.name == entity.id_column.as_str())
            .map(|c| c.cast())
            .ok_or_else(|| {
                Error::Profile(format!("{location} has no column {}", entity.id_column))
            })?;
        let Some(id) = cast.normalize(id) else {
            return Ok((location, None));
        };
        let sql = format!(
            "select to_jsonb(x) as row from {location} x where {}{}",
            cast.eq(&format!("x.{}", entity.id_column.pg()), 1),
            space.and_tenant("x.", 2)
        );
        let mut q = sqlx::query(&sql).bind(id);
        if let Some((_, tenant_id)) = &space.row_filter {
            q = q.bind(tenant_id);
        }
        let row = q
            .fetch_optional(space.postgres.pool())
            .await
            .map_err(crate::stores::postgres::map_error)?;
        let value = row
            .map(|r| r.try_get::<Value, _>("row"))
            .transpose()
            .map_err(crate::stores::postgres::map_error)?;
        Ok((location, value))
    }
    .await;
    with_reason(result)
}

/// The graph node's properties.
async fn node(
    platform: &Platform,
    tenant: &Tenant,
    entity: Option<&EntitySpec>,
    id: &str,
) -> Found {
    let Some(label) = entity.and_then(|e| e.graph_label.as_ref()) else {
        return no_entity("graph label");
    };
    let result: Result<(String, Option<Value>)> = async {
        let graph = platform.graph()?;
        let spec = platform.profile.graph_spec()?;
        let cypher = format!(
            "MATCH (n:{}) WHERE n.{} = $id AND n.{} = $tenant RETURN properties(n) AS props LIMIT 1",
            label.cypher(),
            spec.id_property.cypher(),
            spec.tenant_property.cypher()
        );
        let q = query(&cypher).param("id", id).param("tenant", tenant.id.as_str());
        let value = with_timeout(StoreKind::Graph, platform.timeout, async {
            let mut rows = graph
                .bolt()
                .execute_read(q)
                .await
                .map_err(crate::stores::graph::map_error)?;
            match rows.next().await.map_err(crate::stores::graph::map_error)? {
                Some(row) => Ok(Some(
                    row.get::<Value>("props")
                        .map_err(|e| Error::query(StoreKind::Graph, e))?,
                )),
                None => Ok(None),
            }
        })
        .await?;
        Ok((format!(":{label} {{{}: {id:?}}}", spec.id_property), value))
    }
    .await;
    with_reason(result)
}

/// The cached value, parsed as JSON (a value that is not JSON is kept as a string).
async fn cached(
    platform: &Platform,
    tenant: &Tenant,
    entity: Option<&EntitySpec>,
    id: &str,
) -> Found {
    let Some(pattern) = entity.and_then(|e| e.cache_key.as_ref()) else {
        return no_entity("cache key");
    };
    let result: Result<(String, Option<Value>)> = async {
        let redis = platform.redis()?;
        let key = fill_pattern(pattern, &tenant.vars_with_id(id))?;
        let value = with_timeout(
            StoreKind::Redis,
            platform.timeout,
            redis.command(&[b"GET", key.as_bytes()]),
        )
        .await?;
        let value = match value {
            redis::Value::Nil => None,
            redis::Value::BulkString(bytes) => {
                Some(serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&bytes).into_owned())
                }))
            }
            other => Some(Value::String(format!("{other:?}"))),
        };
        Ok((key, value))
    }
    .await;
    with_reason(result)
}

fn with_reason(result: Result<(String, Option<Value>)>) -> Found {
    result.map_err(|e| e.to_string())
}
