//! Export of a tenant's entity table (with the same filters as the page view) to CSV or JSON.
//!
//! Pages are read in keyset order with whole cells and written as they come, so memory holds one
//! page. The file is written under a `.partial` name and renamed only when complete: a failed or
//! cancelled export leaves no file that could pass for a whole one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::{PreparedRows, RowColumn, RowQuery, MAX_PAGE_ROWS};
use crate::error::{Error, Result, StoreKind};
use crate::output_file;
use crate::platform::Platform;
use crate::stores::with_timeout;
use crate::tasks::{blocking, elapsed_ms};
use crate::tenant_space::TenantSpace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// A header line, then one line per row; SQL NULL is an empty field.
    Csv,
    /// An array of objects in column order; JSON columns are embedded as JSON.
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub path: String,
    pub format: ExportFormat,
    pub rows: u32,
    /// Size of the file, as a decimal string (64-bit).
    pub bytes: String,
    pub elapsed_ms: u32,
}

/// Rows written so far, reported after each page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub rows: u32,
}

/// Writes every row matching `query` (its `after` and `limit` are ignored) to `dest`.
pub async fn export(
    platform: &Platform,
    space: TenantSpace,
    query: &RowQuery,
    format: ExportFormat,
    dest: &Path,
    cancel: &CancellationToken,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
) -> Result<ExportSummary> {
    let started = std::time::Instant::now();
    let prepared = PreparedRows::new(platform, space, query).await?;
    let columns = prepared.columns();
    let open_dest = dest.to_owned();
    let header = columns.clone();
    let mut writer = blocking(move || Writer::create(&open_dest, format, header)).await?;
    let partial = writer.partial.clone();

    let result: Result<(u32, Writer)> = async move {
        let mut after: Option<String> = None;
        let mut rows = 0u32;
        loop {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let page = tokio::select! {
                page = with_timeout(
                    StoreKind::Postgres,
                    platform.timeout * 5,
                    prepared.page(after.as_deref(), MAX_PAGE_ROWS, None),
                ) => page?,
                () = cancel.cancelled() => return Err(Error::Cancelled),
            };
            let (cells, _, next) = page;
            rows = rows.saturating_add(u32::try_from(cells.len()).unwrap_or(u32::MAX));
            writer = blocking(move || {
                writer.rows(&cells)?;
                Ok(writer)
            })
            .await?;
            progress(ExportProgress { rows });
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            match next {
                Some(n) => after = Some(n),
                None => return Ok((rows, writer)),
            }
        }
    }
    .await;

    match result {
        Ok((rows, writer)) => {
            let final_path = dest.to_owned();
            let bytes = blocking(move || writer.finish(&final_path)).await?;
            Ok(ExportSummary {
                path: dest.display().to_string(),
                format,
                rows,
                bytes: bytes.to_string(),
                elapsed_ms: elapsed_ms(started),
            })
        }
        Err(e) => {
            output_file::discard(&partial);
            Err(e)
        }
    }
}

/// `<dir>/<slug>-<entity>-<UTC time>.<ext>`: a fresh name in the exports folder.
pub fn default_path(dir: &Path, tenant_slug: &str, entity: &str, format: ExportFormat) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    dir.join(format!(
        "{}-{}-{stamp}.{}",
        safe_name(tenant_slug),
        safe_name(entity),
        format.extension()
    ))
}

/// A name safe in a file name: letters, digits, `-` and `_`; anything else becomes `_`.
pub fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

enum Sink {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Json { out: BufWriter<File>, first: bool },
}

struct Writer {
    sink: Sink,
    columns: Vec<RowColumn>,
    partial: PathBuf,
}

impl Writer {
    fn create(dest: &Path, format: ExportFormat, columns: Vec<RowColumn>) -> Result<Self> {
        let (file, partial) = output_file::create(dest)?;
        let out = BufWriter::with_capacity(output_file::WRITE_BUFFER, file);
        let sink = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(columns.iter().map(|c| c.name.as_str()))
                    .map_err(|e| output_file::write_error(&partial, &e))?;
                Sink::Csv(Box::new(w))
            }
            ExportFormat::Json => {
                let mut out = out;
                out.write_all(b"[")
                    .map_err(|e| output_file::write_error(&partial, &e))?;
                Sink::Json { out, first: true }
            }
        };
        Ok(Self {
            sink,
            columns,
            partial: partial.to_owned(),
        })
    }

    fn rows(&mut self, rows: &[Vec<Option<String>>]) -> Result<()> {
        let partial = self.partial.clone();
        let fail = |e: &dyn std::fmt::Display| output_file::write_error(&partial, e);
        match &mut self.sink {
            Sink::Csv(w) => {
                for row in rows {
                    w.write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))
                        .map_err(|e| fail(&e))?;
                }
            }
            Sink::Json { out, first } => {
                for row in rows {
                    out.write_all(if *first { b"\n" } else { b",\n" })
                        .map_err(|e| fail(&e))?;
                    *first = false;
                    let object = JsonRow {
                        columns: &self.columns,
                        cells: row,
                    };
                    serde_json::to_writer(&mut *out, &object).map_err(|e| fail(&e))?;
                }
            }
        }
        Ok(())
    }

    /// Flushes, syncs and renames the partial file to `dest`; returns its size.
    fn finish(self, dest: &Path) -> Result<u64> {
        let partial = self.partial;
        let fail = |e: &dyn std::fmt::Display| output_file::write_error(&partial, e);
        let file = match self.sink {
            Sink::Csv(w) => w
                .into_inner()
                .map_err(|e| fail(&e))?
                .into_inner()
                .map_err(|e| fail(&e))?,
            Sink::Json { mut out, .. } => {
                out.write_all(b"\n]\n").map_err(|e| fail(&e))?;
                out.into_inner().map_err(|e| fail(&e))?
            }
        };
        output_file::finish(file, &partial, dest)
    }
}

/// A JSON column's text as JSON; anything else (and JSON that does not parse) as a string.
fn json_cell(column: &RowColumn, cell: Option<&str>) -> serde_json::Value {
    match cell {
        None => serde_json::Value::Null,
        Some(text) if column.json => serde_json::from_str(text)
            .unwrap_or_else(|_| serde_json::Value::String(text.to_owned())),
        Some(text) => serde_json::Value::String(text.to_owned()),
    }
}

/// One row as a JSON object in the table's column order.
struct JsonRow<'a> {
    columns: &'a [RowColumn],
    cells: &'a [Option<String>],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(&column.name, &json_cell(column, cell.as_deref()))?;
        }
        map.end()
    }
}
