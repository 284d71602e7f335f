//! Point-in-time reconstruction of an aggregate from the event log.

use crate::error::Result;
use crate::timetravel::{self, AggregateHistory, Point, StateAt, StateDiff};

use super::Storelens;

impl Storelens {
    /// The aggregate's steps `offset .. offset + limit` (each with its diff and anomalies) and
    /// its final state. `tenant` may be omitted when one tenant alone has events of the id.
    #[tracing::instrument(skip(self), err)]
    pub async fn event_history(
        &self,
        connection: &str,
        aggregate_id: &str,
        tenant: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<AggregateHistory> {
        let platform = self.platform(connection).await?;
        let tenant = timetravel::resolve_tenant(&platform, aggregate_id, tenant).await?;
        timetravel::history(&platform, &tenant, aggregate_id, offset, limit).await
    }

    /// The aggregate's state at a time or sequence (`at` as text, see [`Point::parse`]).
    #[tracing::instrument(skip(self), err)]
    pub async fn state_at(
        &self,
        connection: &str,
        aggregate_id: &str,
        tenant: Option<&str>,
        at: &str,
    ) -> Result<StateAt> {
        let at = Point::parse(at)?;
        let platform = self.platform(connection).await?;
        let tenant = timetravel::resolve_tenant(&platform, aggregate_id, tenant).await?;
        timetravel::state_at(&platform, &tenant, aggregate_id, &at).await
    }

    /// The changes to the aggregate between two points.
    #[tracing::instrument(skip(self), err)]
    pub async fn state_diff(
        &self,
        connection: &str,
        aggregate_id: &str,
        tenant: Option<&str>,
        from: &str,
        to: &str,
    ) -> Result<StateDiff> {
        let (from, to) = (Point::parse(from)?, Point::parse(to)?);
        let platform = self.platform(connection).await?;
        let tenant = timetravel::resolve_tenant(&platform, aggregate_id, tenant).await?;
        timetravel::diff_between(&platform, &tenant, aggregate_id, &from, &to).await
    }
}

impl Storelens {
    /// The current fold against the read-model row, the graph node and the cached value, each
    /// store in sync, lagging (and by how many events) or drifting.
    #[tracing::instrument(skip(self), err)]
    pub async fn compare_stores(
        &self,
        connection: &str,
        aggregate_id: &str,
        tenant: Option<&str>,
    ) -> Result<timetravel::Comparison> {
        let platform = self.platform(connection).await?;
        let tenant = timetravel::resolve_tenant(&platform, aggregate_id, tenant).await?;
        timetravel::compare(&platform, &tenant, aggregate_id).await
    }
}
