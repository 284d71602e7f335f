//! Read-only query consoles: SQL, Cypher and Redis commands typed by a user, run in a tenant's
//! space, answered as a grid of text cells.
//!
//! Consoles are read-only whatever the connection's mode, and each language is guarded in the
//! backend by the store itself where it can be and by Storelens where it cannot:
//! - SQL runs as one prepared statement (no `;`-chained second statement) inside a
//!   `READ ONLY` transaction that is always rolled back, on a session that defaults to
//!   read-only; the tenant's schema comes first on the `search_path`.
//! - Cypher runs in Bolt READ access mode, and Storelens first refuses updating clauses itself
//!   ([`cypher_guard`]), because some Bolt servers accept writes in READ mode.
//! - Redis commands pass the read-only allowlist before they are sent.

mod cypher;
pub mod cypher_guard;
pub mod redis;
mod sql;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::tenants::Tenant;

/// Longest statement accepted, in bytes.
pub const MAX_STATEMENT_BYTES: usize = 64 * 1024;
pub const DEFAULT_ROWS: u32 = 500;
pub const MAX_ROWS: u32 = 10_000;
/// Characters of a cell sent back; longer values are cut and their cells listed.
pub const MAX_CELL_CHARS: usize = 4_096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum QueryLanguage {
    Sql,
    Cypher,
    Redis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsoleRequest {
    pub language: QueryLanguage,
    pub text: String,
    /// Tenant id or slug whose space the statement runs in (schema or database; `$tenant` in
    /// Cypher). `None` runs on the platform's main database.
    pub tenant: Option<String>,
    /// Rows kept (default 500, at most 10,000); the result says when more existed.
    pub max_rows: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsoleResult {
    pub language: QueryLanguage,
    pub columns: Vec<String>,
    /// One array per row; each cell is the value's text (JSON for maps, lists, nodes), or
    /// `null`.
    pub rows: Vec<Vec<Option<String>>>,
    /// `[row, column]` of each cell cut at [`MAX_CELL_CHARS`].
    pub truncated_cells: Vec<[u32; 2]>,
    /// More rows existed than were kept.
    pub more: bool,
    /// Where the statement ran, e.g. `schema tenant_tyrell of storelens_sandbox`.
    pub scope: String,
    pub elapsed_ms: u32,
    /// Cypher only: the nodes, relationships and paths of the kept rows, to draw as a graph.
    pub graph: Option<crate::graph::GraphView>,
}

/// The grid being filled: rows up to the cap, long cells cut.
#[derive(Debug)]
pub(crate) struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    pub truncated: Vec<[u32; 2]>,
    pub more: bool,
    cap: usize,
}

impl Grid {
    pub(crate) fn new(columns: Vec<String>, cap: usize) -> Self {
        Self {
            columns,
            rows: Vec::new(),
            truncated: Vec::new(),
            more: false,
            cap,
        }
    }

    /// Adds a row; false once the cap is passed (the row is dropped and `more` set).
    pub(crate) fn push(&mut self, cells: Vec<Option<String>>) -> bool {
        if self.rows.len() >= self.cap {
            self.more = true;
            return false;
        }
        let r = self.rows.len() as u32;
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(c, cell)| {
                cell.map(|mut text| {
                    if crate::tasks::cut_chars(&mut text, MAX_CELL_CHARS) {
                        self.truncated.push([r, c as u32]);
                    }
                    text
                })
            })
            .collect();
        self.rows.push(cells);
        true
    }
}

/// Runs one console request. `tenant` is the resolved tenant when the request named one.
pub async fn run(
    platform: &Platform,
    request: &ConsoleRequest,
    tenant: Option<&Tenant>,
) -> Result<ConsoleResult> {
    let started = std::time::Instant::now();
    let text = request.text.trim();
    if text.is_empty() {
        return Err(Error::InvalidInput("the statement is empty".into()));
    }
    if text.len() > MAX_STATEMENT_BYTES {
        return Err(Error::InvalidInput(format!(
            "the statement is longer than {MAX_STATEMENT_BYTES} bytes"
        )));
    }
    let cap = request.max_rows.unwrap_or(DEFAULT_ROWS).clamp(1, MAX_ROWS) as usize;
    let (grid, scope, graph) = match request.language {
        QueryLanguage::Sql => with_no_graph(sql::run(platform, text, tenant, cap).await?),
        QueryLanguage::Cypher => cypher::run(platform, text, tenant, cap).await?,
        QueryLanguage::Redis => with_no_graph(redis::run(platform, text, tenant, cap).await?),
    };
    Ok(ConsoleResult {
        language: request.language,
        columns: grid.columns,
        rows: grid.rows,
        truncated_cells: grid.truncated,
        more: grid.more,
        scope,
        elapsed_ms: crate::tasks::elapsed_ms(started),
        graph,
    })
}

fn with_no_graph((grid, scope): (Grid, String)) -> (Grid, String, Option<crate::graph::GraphView>) {
    (grid, scope, None)
}
