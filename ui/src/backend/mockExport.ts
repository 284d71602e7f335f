// `exportRows` for the mock backend: the rows of mockRows.ts written page by
// page (to nowhere), with progress reports and cancellation.
import { BackendError } from "./errors";
import { sleep } from "./mockIds";
import { mockEntityTable, mockMatchingRows, mockTableLabel } from "./mockRows";
import type { ExportFormat, ExportProgress, ExportSummary, RowColumn, RowQuery, Tenant } from "./types";

/** Rows per exported page (the backend reads 1,000; smaller here so progress shows). */
export const MOCK_EXPORT_PAGE = 100;
export const MOCK_EXPORTS_DIR = "/home/admin/Downloads";

const csvField = (cell: string | null) =>
  cell === null ? "" : /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

function serialize(columns: RowColumn[], rows: (string | null)[][], format: ExportFormat): string {
  if (format === "csv") {
    const lines = [columns.map((c) => csvField(c.name)).join(",")];
    for (const row of rows) lines.push(row.map(csvField).join(","));
    return `${lines.join("\n")}\n`;
  }
  const objects = rows.map((row) =>
    Object.fromEntries(columns.map((c, i) => [c.name, c.json && row[i] !== null ? JSON.parse(row[i]!) : row[i]])),
  );
  return JSON.stringify(objects, null, 2);
}

/** `acme-atom-20250601T101500Z.csv`, like the backend names a new export. */
export function mockExportPath(tenant: Tenant, entity: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");
  return `${MOCK_EXPORTS_DIR}/${safe(tenant.slug)}-${safe(entity)}-${stamp}.${format}`;
}

export async function mockExport(
  tenant: Tenant,
  query: RowQuery,
  format: ExportFormat,
  path: string | null,
  onProgress: (p: ExportProgress) => void,
  options: { pageDelayMs: number; signal: AbortSignal },
): Promise<ExportSummary> {
  const started = Date.now();
  const table = mockEntityTable(tenant, query.entity);
  const rows = mockMatchingRows(table, mockTableLabel(tenant, table.table), query);
  for (let written = 0; written < rows.length || written === 0; ) {
    await sleep(options.pageDelayMs, options.signal);
    if (options.signal.aborted) throw new BackendError("cancelled", "cancelled");
    written = Math.min(rows.length, written + MOCK_EXPORT_PAGE);
    onProgress({ rows: written });
    if (rows.length === 0) break;
  }
  const text = serialize(table.columns, rows, format);
  return {
    path: path ?? mockExportPath(tenant, query.entity, format),
    format,
    rows: rows.length,
    bytes: String(new TextEncoder().encode(text).length),
    elapsedMs: Date.now() - started,
  };
}
