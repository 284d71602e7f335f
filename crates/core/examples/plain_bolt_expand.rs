//! The plain client of the graph benchmark (`scripts/bench/graph`): a two-hop expansion written
//! by hand with neo4rs alone, as an administrator would run it without Storelens. Hop 1 reads
//! the first LIMIT relationships of the start node, hop 2 the first LIMIT relationships of the
//! tenant's neighbours found (a statement per label, as the id index wants), each row decoded
//! into the driver's node and relationship types. Prints `{"rows", "ms"}` (connect to last row).
//!
//!   plain_bolt_expand URL USER DATABASE TENANT_PROPERTY ID_PROPERTY TENANT_ID LABEL START_ID LIMIT
//!   (the password comes from STORELENS_BOLT_PASSWORD)

use std::collections::BTreeMap;

use neo4rs::{query, BoltNode, BoltRelation, ConfigBuilder, Graph};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, user, database, tenant_p, id_p, tenant, label, start, limit] = args.as_slice() else {
        return Err(
            "usage: URL USER DATABASE TENANT_PROPERTY ID_PROPERTY TENANT_ID LABEL START_ID LIMIT"
                .into(),
        );
    };
    let limit: i64 = limit.parse()?;
    let password = std::env::var("STORELENS_BOLT_PASSWORD")?;
    let started = std::time::Instant::now();
    let mut config = ConfigBuilder::default()
        .uri(url.as_str())
        .user(user.as_str())
        .password(password.as_str())
        .fetch_size(1000);
    if !database.is_empty() {
        config = config.db(database.as_str());
    }
    let graph = Graph::connect(config.build()?)?;
    let hop = |label: &str| {
        format!(
            "MATCH (n:`{label}`) WHERE n.`{id_p}` IN $ids AND n.`{tenant_p}` = $tenant \
             MATCH (n)-[r]-(m) RETURN r, m ORDER BY n.`{id_p}`, type(r), m.`{id_p}` LIMIT $limit"
        )
    };
    let mut rows = 0;
    let mut frontier: BTreeMap<String, Vec<String>> = BTreeMap::new();
    frontier.insert(label.clone(), vec![start.clone()]);
    for _ in 0..2 {
        let mut next: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut budget = limit;
        for (label, ids) in std::mem::take(&mut frontier) {
            let q = query(&hop(&label))
                .param("ids", ids)
                .param("tenant", tenant.as_str())
                .param("limit", budget);
            let mut stream = graph.execute_read(q).await?;
            while let Some(row) = stream.next().await? {
                let _r: BoltRelation = row.get("r")?;
                let m: BoltNode = row.get("m")?;
                rows += 1;
                budget -= 1;
                let own = m.get::<String>(tenant_p).ok().as_deref() == Some(tenant.as_str());
                let first_label = match m.labels.value.first() {
                    Some(neo4rs::BoltType::String(l)) => Some(l.value.clone()),
                    _ => None,
                };
                if let (true, Ok(id), Some(l)) = (own, m.get::<String>(id_p), first_label) {
                    next.entry(l).or_default().push(id);
                }
            }
        }
        frontier = next;
    }
    println!(
        "{{\"rows\": {rows}, \"ms\": {}}}",
        started.elapsed().as_millis()
    );
    Ok(())
}
