//! Cache inspection: the namespace tree, key pages, values, and a tenant's cache audit.

use crate::cache::audit::{self, CacheAudit, CacheAuditProgress};
use crate::cache::browse::{self, escape_glob_bytes, KeyPage, KeyPageRequest};
use crate::cache::monitor::{self, MonitorBatch, MonitorSummary};
use crate::cache::scan::{self, KeyScan, ScanProgress, ScanRequest, ScanSettings};
use crate::cache::value::{self, KeyValue, ValueRequest};
use crate::error::{Error, Result};
use crate::profile::fill_pattern;

use super::Storelens;

/// Longest MATCH pattern a caller may send.
const MAX_PATTERN: usize = 1_024;

impl Storelens {
    /// Scans the whole key space (or a tenant's, or a pattern's) and counts the keys of every
    /// namespace. Runs as task `task_id`; `progress` hears the keys counted so far.
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn cache_scan(
        &self,
        connection: &str,
        request: ScanRequest,
        task_id: &str,
        progress: impl Fn(ScanProgress) + Send + Sync + 'static,
    ) -> Result<KeyScan> {
        let settings = ScanSettings::of(&request)?;
        if let Some(p) = request.pattern.as_deref() {
            if p.is_empty() || p.len() > MAX_PATTERN {
                return Err(Error::InvalidInput(format!(
                    "a key pattern has 1 to {MAX_PATTERN} bytes"
                )));
            }
        }
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let spec = platform.profile.cache_spec()?.clone();
        let mut pattern = match request.tenant.as_deref() {
            Some(t) => {
                let tenant = super::tenants::tenant_of(&platform, t).await?;
                escape_glob_bytes(fill_pattern(&spec.tenant_prefix, &tenant.vars())?.as_bytes())
            }
            None => Vec::new(),
        };
        pattern.extend_from_slice(request.pattern.as_deref().unwrap_or("*").as_bytes());
        let token = task.token().clone();
        // Its own task: it owns what it uses, and a long scan stays off the IPC worker.
        tokio::spawn(async move {
            let redis = platform.redis()?;
            scan::scan(
                redis,
                platform.timeout,
                &pattern,
                &spec.delimiter,
                &settings,
                &token,
                &progress,
            )
            .await
        })
        .await
        .map_err(|e| Error::Internal(format!("scan worker failed: {e}")))?
    }

    /// A page of the keys under a folder, with their types and TTLs.
    #[tracing::instrument(skip(self), err)]
    pub async fn cache_keys(&self, connection: &str, request: KeyPageRequest) -> Result<KeyPage> {
        let platform = self.platform(connection).await?;
        browse::key_page(platform.redis()?, platform.timeout, &request).await
    }

    /// A key's value (a page of it), type and TTL.
    #[tracing::instrument(skip(self), err)]
    pub async fn cache_value(&self, connection: &str, request: ValueRequest) -> Result<KeyValue> {
        let platform = self.platform(connection).await?;
        value::key_value(platform.redis()?, platform.timeout, &request).await
    }

    /// The tenant's keys without a mandatory TTL, and its entity keys that are stale against
    /// the read model or orphaned. Runs as task `task_id`.
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn cache_audit(
        &self,
        connection: &str,
        tenant: &str,
        task_id: &str,
        progress: impl Fn(CacheAuditProgress) + Send + Sync + 'static,
    ) -> Result<CacheAudit> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let tenant = super::tenants::tenant_of(&platform, tenant).await?;
        let token = task.token().clone();
        tokio::spawn(async move { audit::audit(&platform, &tenant, &token, &progress).await })
            .await
            .map_err(|e| Error::Internal(format!("audit worker failed: {e}")))?
    }

    /// Watches the tenant's pub/sub channel and update stream until task `task_id` is
    /// cancelled; `on_batch` hears the messages, a batch at a time.
    #[tracing::instrument(skip(self, on_batch), err)]
    pub async fn cache_monitor(
        &self,
        connection: &str,
        tenant: &str,
        task_id: &str,
        on_batch: impl Fn(MonitorBatch) + Send + Sync + 'static,
    ) -> Result<MonitorSummary> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let tenant = super::tenants::tenant_of(&platform, tenant).await?;
        let token = task.token().clone();
        tokio::spawn(async move { monitor::monitor(&platform, &tenant, &token, &on_batch).await })
            .await
            .map_err(|e| Error::Internal(format!("monitor worker failed: {e}")))?
    }
}
