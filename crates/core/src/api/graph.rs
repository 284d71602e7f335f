//! Graph traversal: search a tenant's nodes, expand them, find paths between them.

use std::sync::Arc;

use crate::error::{Result, StoreKind};
use crate::graph::expand::{self, ExpandRequest};
use crate::graph::path::{self, PathRequest};
use crate::graph::schema::Schema;
use crate::graph::search::{self, SearchRequest};
use crate::graph::{GraphView, STATEMENT_TIMEOUT};
use crate::platform::Platform;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

use super::tenants::tenant_of;
use super::Storelens;

impl Storelens {
    /// A tenant's nodes by exact id or by part of a search property.
    #[tracing::instrument(skip(self), err)]
    pub async fn graph_search(
        &self,
        connection: &str,
        request: SearchRequest,
    ) -> Result<GraphView> {
        let started = std::time::Instant::now();
        let (platform, tenant, schema) = self.graph_scope(connection, &request.tenant).await?;
        let view = with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            search::search(
                platform.graph()?,
                &platform.profile,
                &schema,
                &tenant,
                &request,
            ),
        )
        .await?;
        Ok(timed(view, started))
    }

    /// The neighbourhood of a tenant's nodes, `hops` deep, capped per hop; supernodes listed
    /// with their neighbour counts instead of drawn whole.
    #[tracing::instrument(skip(self), err)]
    pub async fn graph_expand(
        &self,
        connection: &str,
        request: ExpandRequest,
    ) -> Result<GraphView> {
        let started = std::time::Instant::now();
        let (platform, tenant, schema) = self.graph_scope(connection, &request.tenant).await?;
        let view = with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            expand::expand(
                platform.graph()?,
                &platform.profile,
                &schema,
                &tenant,
                &request,
            ),
        )
        .await?;
        Ok(timed(view, started))
    }

    /// Shortest path(s) between two of a tenant's nodes, inside the tenant.
    #[tracing::instrument(skip(self), err)]
    pub async fn graph_path(&self, connection: &str, request: PathRequest) -> Result<GraphView> {
        let started = std::time::Instant::now();
        let (platform, tenant, schema) = self.graph_scope(connection, &request.tenant).await?;
        let view = with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            path::shortest(
                platform.graph()?,
                &platform.profile,
                &schema,
                &tenant,
                &request,
            ),
        )
        .await?;
        Ok(timed(view, started))
    }

    /// The platform, the tenant (PostgreSQL) and the graph's labels and types (Bolt), the last
    /// two read at once.
    async fn graph_scope(
        &self,
        connection: &str,
        tenant: &str,
    ) -> Result<(Arc<Platform>, Tenant, Schema)> {
        let platform = self.platform(connection).await?;
        let graph = platform.graph()?;
        let (tenant, schema) = tokio::try_join!(
            tenant_of(&platform, tenant),
            with_timeout(StoreKind::Graph, platform.timeout, Schema::read(graph)),
        )?;
        Ok((platform, tenant, schema))
    }
}

/// The answer's time from the request: the tenant's lookup and the graph's schema included.
fn timed(mut view: GraphView, started: std::time::Instant) -> GraphView {
    view.elapsed_ms = crate::tasks::elapsed_ms(started);
    view
}
