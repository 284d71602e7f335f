//! Graph traversal: search a tenant's nodes, expand them, find paths between them.

use crate::error::{Result, StoreKind};
use crate::graph::expand::{self, ExpandRequest};
use crate::graph::path::{self, PathRequest};
use crate::graph::search::{self, SearchRequest};
use crate::graph::{GraphView, STATEMENT_TIMEOUT};
use crate::stores::with_timeout;

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
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, &request.tenant).await?;
        let graph = platform.graph()?;
        with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            search::search(graph, &platform.profile, &tenant, &request),
        )
        .await
    }

    /// The neighbourhood of a tenant's nodes, `hops` deep, capped per hop; supernodes listed
    /// with their neighbour counts instead of drawn whole.
    #[tracing::instrument(skip(self), err)]
    pub async fn graph_expand(
        &self,
        connection: &str,
        request: ExpandRequest,
    ) -> Result<GraphView> {
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, &request.tenant).await?;
        let graph = platform.graph()?;
        with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            expand::expand(graph, &platform.profile, &tenant, &request),
        )
        .await
    }

    /// Shortest path(s) between two of a tenant's nodes, inside the tenant.
    #[tracing::instrument(skip(self), err)]
    pub async fn graph_path(&self, connection: &str, request: PathRequest) -> Result<GraphView> {
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, &request.tenant).await?;
        let graph = platform.graph()?;
        with_timeout(
            StoreKind::Graph,
            STATEMENT_TIMEOUT,
            path::shortest(graph, &platform.profile, &tenant, &request),
        )
        .await
    }
}
