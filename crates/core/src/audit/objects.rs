//! Objects against rows, for each entity whose profile names an object prefix and the column
//! holding the object key: objects under the prefix that no row names, and rows naming an
//! object that is not there. One listing of the prefix, one read of the key column.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStore;

use super::{AuditContext, Outcome};
use crate::error::{Error, Result, StoreKind};
use crate::findings::{Finding, FindingKind};
use crate::stores::objects::map_error;
use crate::stores::postgres::map_error as pg_error;

pub(super) async fn check(cx: &AuditContext<'_>) -> Result<Outcome> {
    let (Some(_), Some(spec)) = (&cx.platform.objects, &cx.platform.profile.objects) else {
        return Ok(Outcome::skipped(
            "no object storage on this connection or in the profile",
        ));
    };
    let entities: Vec<_> = cx
        .platform
        .profile
        .entities
        .iter()
        .filter_map(|e| Some((e, e.object_prefix.as_ref()?, e.object_key_column.as_ref()?)))
        .collect();
    if entities.is_empty() {
        return Ok(Outcome::skipped(
            "no entity of the profile names its objects",
        ));
    }
    let at = cx.platform.objects()?.tenant_objects(spec, cx.tenant)?;
    let space = cx.platform.tenant_space(cx.tenant)?;
    let mut out = Outcome::default();
    for (entity, object_prefix, key_column) in entities {
        let full_prefix = format!("{}{object_prefix}", at.prefix);
        // Keys relative to the tenant's prefix, as rows hold them.
        let mut listing = at.store.list(at.list_from.as_ref());
        let mut stored = BTreeSet::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(map_error)?;
            let key = meta.location.as_ref();
            if let Some(rel) = key.strip_prefix(full_prefix.as_str()) {
                stored.insert(format!("{object_prefix}{rel}"));
            }
            out.checked += 1;
            if out.checked % 1_000 == 0 && cx.cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
        }
        let sql = format!(
            "select x.{}::text, x.{}::text from {} x where x.{} is not null{}",
            entity.id_column.pg(),
            key_column.pg(),
            space.table(&entity.table),
            key_column.pg(),
            space.and_tenant("x.", 1)
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        if let Some((_, tenant_id)) = &space.row_filter {
            q = q.bind(tenant_id);
        }
        let named: BTreeMap<String, String> = q
            .fetch(space.postgres.pool())
            .map_ok(|(id, key)| (key, id))
            .try_collect()
            .await
            .map_err(pg_error)?;
        out.checked += named.len() as u64;
        let table = space.table(&entity.table);
        for key in stored.iter().filter(|k| !named.contains_key(*k)) {
            let full = format!("{}{key}", at.prefix);
            out.findings.push(
                Finding::new(
                    FindingKind::ObjectWithoutRow,
                    full.clone(),
                    format!("{}/{full} has no row in {table} naming it", at.bucket),
                )
                .entity_type(entity.entity_type.clone())
                .evidence(StoreKind::Objects, format!("{}/{full}", at.bucket), None)
                .evidence(
                    StoreKind::Postgres,
                    format!("{table}.{key_column} = {key:?}"),
                    None,
                )
                .remedy("delete the object, or restore the row that owned it"),
            );
        }
        for (key, id) in named.iter().filter(|(k, _)| !stored.contains(*k)) {
            out.findings.push(
                Finding::new(
                    FindingKind::RowWithoutObject,
                    id.clone(),
                    format!(
                        "{table} {id} names object {key}, which is not in {}",
                        at.bucket
                    ),
                )
                .entity_type(entity.entity_type.clone())
                .evidence(
                    StoreKind::Postgres,
                    format!("{table} {id}"),
                    Some(key.clone().into()),
                )
                .evidence(
                    StoreKind::Objects,
                    format!("{}/{}{key}", at.bucket, at.prefix),
                    None,
                )
                .remedy("restore the object from a backup, or clear the row's reference"),
            );
        }
    }
    Ok(out)
}
