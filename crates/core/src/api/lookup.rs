//! Cross-store lookup: an entity id, a cache key or an object key, everywhere it appears.

use crate::error::Result;
use crate::lookup::{self, LookupResult};

use super::Storelens;

impl Storelens {
    /// Everything that refers to `needle` (an entity id, a cache key or an object key) in every
    /// store, over all tenants or only `tenant` (id or slug). A store that fails is reported in
    /// the result's `errors`; an unusable needle or an unknown tenant is an error.
    #[tracing::instrument(skip(self, needle), fields(needle_bytes = needle.len()), err)]
    pub async fn find(
        &self,
        connection: &str,
        needle: &str,
        tenant: Option<&str>,
    ) -> Result<LookupResult> {
        let platform = self.platform(connection).await?;
        lookup::find(&platform, needle, tenant).await
    }
}
