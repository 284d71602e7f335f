//! Point-in-time reconstruction of an aggregate from the event log.

use crate::error::Result;
use crate::timetravel::tenant_state::{TenantStateProgress, TenantStateSummary};
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

impl Storelens {
    /// Every aggregate of a tenant (of one type when given) as of `at`, as JSON Lines in `dest`
    /// (default: a new file in the exports folder). Runs as task `task_id`; `progress` hears the
    /// events folded so far.
    #[tracing::instrument(skip(self, progress), err)]
    #[allow(clippy::too_many_arguments)] // one use case, one call
    pub async fn tenant_state(
        &self,
        connection: &str,
        tenant: &str,
        at: &str,
        aggregate_type: Option<&str>,
        dest: Option<std::path::PathBuf>,
        task_id: &str,
        progress: impl Fn(TenantStateProgress) + Send + Sync + 'static,
    ) -> Result<TenantStateSummary> {
        let at = match Point::parse(at)? {
            Point::Time(t) => t,
            Point::Sequence(_) => {
                return Err(crate::Error::InvalidInput(
                    "a tenant-wide state is taken at a time, not a sequence number".into(),
                ))
            }
        };
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let tenant = super::tenants::tenant_of(&platform, tenant).await?;
        let dest = dest.unwrap_or_else(|| {
            let stamp = at.format("%Y%m%dT%H%M%SZ");
            self.dirs.exports.join(format!(
                "{}-state-{stamp}.jsonl",
                crate::rows::export::safe_name(&tenant.slug)
            ))
        });
        let token = task.token().clone();
        let aggregate_type = aggregate_type.map(str::to_owned);
        // Its own task: it owns what it uses, and the folding runs on another worker.
        tokio::spawn(async move {
            timetravel::tenant_state::tenant_state(
                &platform,
                &tenant,
                at,
                aggregate_type.as_deref(),
                &dest,
                &token,
                &progress,
            )
            .await
        })
        .await
        .map_err(|e| crate::Error::Internal(format!("reconstruction worker failed: {e}")))?
    }
}

impl Storelens {
    /// A page of a tenant's event timeline, filtered (see [`timetravel::timeline`]).
    #[tracing::instrument(skip(self), err)]
    pub async fn tenant_events(
        &self,
        connection: &str,
        tenant: &str,
        filter: timetravel::timeline::EventFilter,
    ) -> Result<timetravel::timeline::EventPage> {
        let platform = self.platform(connection).await?;
        let tenant = super::tenants::tenant_of(&platform, tenant).await?;
        timetravel::timeline::events(&platform, &tenant, &filter).await
    }
}
