//! Read-only query consoles (SQL, Cypher, Redis).

use crate::console::{self, ConsoleRequest, ConsoleResult};
use crate::error::Result;

use super::tenants::tenant_of;
use super::Storelens;

impl Storelens {
    /// Runs one console statement, read-only, in the tenant's space when one is named.
    #[tracing::instrument(skip(self, request), fields(language = ?request.language, tenant = ?request.tenant), err)]
    pub async fn run_console(
        &self,
        connection: &str,
        request: ConsoleRequest,
    ) -> Result<ConsoleResult> {
        let platform = self.platform(connection).await?;
        let tenant = match request.tenant.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => Some(tenant_of(&platform, t).await?),
            _ => None,
        };
        console::run(&platform, &request, tenant.as_ref()).await
    }
}
