// Fake entity tables for the mock backend: deterministic rows per tenant and
// entity type, filtered, ordered and paged like `tenantRows` does it.
import { BackendError } from "./errors";
import { mockCount, mockUuid, pgJson, pgTimestamp, type MockJson } from "./mockIds";
import { MOCK_PROFILE } from "./mockProfile";
import type { ColumnFilter, RowColumn, RowPage, RowQuery, Tenant } from "./types";

/** Characters of a cell sent to a page (the backend's `MAX_CELL_CHARS`). */
export const MOCK_CELL_CHARS = 4_096;
/** An atom id planted in two tenants (acme and globex): a cross-tenant leak for `find` to show. */
export const MOCK_SHARED_ATOM_ID = mockUuid("planted/shared-atom");

export interface MockTable {
  entity: string;
  table: string;
  columns: RowColumn[];
  rows: (string | null)[][];
}

type Cell = string | null;

const col = (name: string, typeName: string, extra: Partial<RowColumn> = {}): RowColumn => ({
  name,
  typeName,
  json: typeName === "jsonb" || typeName === "json",
  id: false,
  ...extra,
});

const TS = "timestamp with time zone";
const WORDS = ["photosynthesis", "entropy", "mitochondria", "tectonics", "recursion", "osmosis", "inflation", "lattice"];
const ATOM_TYPES = ["concept", "fact", "definition", "question", "claim"];

const COLUMNS: Record<string, RowColumn[]> = {
  atom: [
    col("id", "uuid", { id: true }),
    col("tenant_id", "uuid"),
    col("atom_type", "text"),
    col("title", "text"),
    col("content", "jsonb"),
    col("version", "integer"),
    col("created_at", TS),
    col("updated_at", TS),
    col("deleted_at", TS),
  ],
  molecule: [
    col("id", "uuid", { id: true }),
    col("tenant_id", "uuid"),
    col("name", "text"),
    col("atom_ids", "jsonb"),
    col("description", "text"),
    col("created_at", TS),
  ],
  document: [
    col("id", "uuid", { id: true }),
    col("tenant_id", "uuid"),
    col("title", "text"),
    col("mime_type", "text"),
    col("size_bytes", "bigint"),
    col("storage_reference", "text"),
    col("metadata", "jsonb"),
    col("created_at", TS),
  ],
  annotation: [
    col("id", "uuid", { id: true }),
    col("tenant_id", "uuid"),
    col("document_id", "uuid"),
    col("body", "text"),
    col("anchor", "jsonb"),
    col("created_at", TS),
  ],
};

const ROW_RANGES: Record<string, [number, number]> = {
  atom: [140, 420],
  molecule: [20, 130],
  document: [5, 60],
  annotation: [0, 90],
};

/** How many rows a tenant has of an entity type. */
export function mockRowCount(tenant: Tenant, entity: string): number {
  const [min, max] = ROW_RANGES[entity] ?? [0, 1];
  return mockCount(`${tenant.id}/rows/${entity}`, min, max);
}

/** The id of a tenant's `i`-th row of an entity type (generation order, not id order). */
export function mockRowId(tenant: Tenant, entity: string, i: number): string {
  if (entity === "atom" && i === 0 && (tenant.slug === "acme" || tenant.slug === "globex")) return MOCK_SHARED_ATOM_ID;
  return mockUuid(`${tenant.slug}/${entity}/${i}`);
}

function generateRow(tenant: Tenant, entity: string, i: number, count: number): Cell[] {
  const n = (what: string, min: number, max: number) => mockCount(`${tenant.slug}/${entity}/${i}/${what}`, min, max);
  const base = Date.UTC(2024, 2, 1, 8, 0, 0) + mockCount(tenant.id, 0, 200) * 86_400_000;
  const created = base + i * 3_917_000;
  const id = mockRowId(tenant, entity, i);
  const word = WORDS[n("word", 0, WORDS.length)]!;
  switch (entity) {
    case "atom": {
      const type = ATOM_TYPES[n("type", 0, ATOM_TYPES.length)]!;
      // One atom per tenant carries a body longer than a page cell holds.
      const body = i === 3 ? `A long note on ${word}. `.repeat(260) : `What ${word} means in ${tenant.slug}'s course ${i + 1}.`;
      const content: MockJson = { body, tags: [type, word], lang: "en", score: n("score", 0, 100) / 10 };
      return [
        id,
        tenant.id,
        type,
        `${type[0]!.toUpperCase()}${type.slice(1)} ${i + 1}: ${word}`,
        pgJson(content),
        String(n("version", 1, 12)),
        pgTimestamp(created),
        pgTimestamp(created + n("updated", 0, 30) * 3_600_000),
        i % 17 === 5 ? pgTimestamp(created + 40 * 86_400_000) : null,
      ];
    }
    case "molecule": {
      const atoms = mockRowCount(tenant, "atom");
      const ids = Array.from({ length: n("size", 2, 5) }, (_, k) => mockRowId(tenant, "atom", (i * 3 + k) % atoms));
      return [
        id,
        tenant.id,
        `${word} molecule ${i + 1}`,
        pgJson(ids),
        i % 4 === 1 ? null : `Links ${ids.length} atoms about ${word}`,
        pgTimestamp(created),
      ];
    }
    case "document": {
      const pdf = i % 3 !== 2;
      return [
        id,
        tenant.id,
        `${word[0]!.toUpperCase()}${word.slice(1)} handout ${i + 1}`,
        pdf ? "application/pdf" : "text/markdown",
        String(n("size", 8_000, 2_500_000)),
        `documents/${id}.${pdf ? "pdf" : "md"}`,
        pgJson({ pages: n("pages", 1, 40), source: i % 5 === 0 ? "import" : "upload" }),
        pgTimestamp(created),
      ];
    }
    default: {
      const docs = mockRowCount(tenant, "document");
      const start = n("start", 0, 900);
      return [
        id,
        tenant.id,
        i % 6 === 4 ? null : mockRowId(tenant, "document", i % docs),
        `Check the ${word} example again (${i + 1}/${count})`,
        pgJson({ start, end: start + n("len", 5, 120), page: n("page", 1, 12) }),
        pgTimestamp(created),
      ];
    }
  }
}

/** A tenant's whole table of an entity type, in generation order. */
export function mockEntityTable(tenant: Tenant, entity: string): MockTable {
  const spec = MOCK_PROFILE.entities.find((e) => e.entityType === entity);
  const columns = COLUMNS[entity];
  if (!spec || !columns) {
    const known = MOCK_PROFILE.entities.map((e) => e.entityType).join(", ");
    throw new BackendError("invalid_input", `no entity type ${JSON.stringify(entity)} in the profile (it has: ${known})`);
  }
  const key = `${tenant.id}/${entity}`;
  const cached = TABLES.get(key);
  if (cached) return cached;
  const count = mockRowCount(tenant, entity);
  const rows = Array.from({ length: count }, (_, i) => generateRow(tenant, entity, i, count));
  const table = { entity, table: spec.table, columns, rows };
  // Deterministic, so the last few are kept (a tenant's whole log reads every row of each).
  if (TABLES.size >= 32) TABLES.delete(TABLES.keys().next().value!);
  TABLES.set(key, table);
  return table;
}

const TABLES = new Map<string, MockTable>();

/** `"schema"."table"` as the backend queries it (with the database for the database tier). */
export function mockTableLabel(tenant: Tenant, table: string): string {
  const loc = tenant.location;
  switch (loc.kind) {
    case "row":
      return `"${loc.schema}"."${table}"`;
    case "schema":
      return `"${loc.schema}"."${table}"`;
    case "database":
      return `"${loc.database}"."${loc.schema}"."${table}"`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = new Set(["integer", "bigint", "smallint", "numeric"]);

/** The value a filter compares, normalized like the backend's cast; invalid_input when it is not of the column's type. */
function typedValue(column: RowColumn, value: string): string | number {
  const bad = (expects: string) =>
    new BackendError(
      "invalid_input",
      `${JSON.stringify(value)} is not ${expects} (column ${JSON.stringify(column.name)} is ${column.typeName})`,
    );
  if (NUMERIC.has(column.typeName)) {
    if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) throw bad("a number");
    return Number(value);
  }
  if (column.typeName === "uuid") {
    if (!UUID.test(value.trim())) throw bad("a UUID");
    return value.trim().toLowerCase();
  }
  if (column.typeName === TS) {
    const t = Date.parse(value.trim().replace(" ", "T").replace(/\+00$/, "Z"));
    if (Number.isNaN(t)) throw bad("a timestamp");
    return t;
  }
  if (column.json) {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      throw bad("JSON");
    }
  }
  return value;
}

function cellValue(column: RowColumn, cell: string): string | number {
  if (NUMERIC.has(column.typeName)) return Number(cell);
  if (column.typeName === TS) return Date.parse(cell.replace(" ", "T").replace(/\+00$/, "Z"));
  if (column.json) return JSON.stringify(JSON.parse(cell));
  return cell;
}

function predicate(table: MockTable, label: string, filter: ColumnFilter): (row: Cell[]) => boolean {
  const index = table.columns.findIndex((c) => c.name === filter.column);
  const column = table.columns[index];
  if (!column) throw new BackendError("invalid_input", `table ${label} has no column ${JSON.stringify(filter.column)}`);
  if (filter.op === "is_null") return (row) => row[index] === null;
  if (filter.op === "not_null") return (row) => row[index] !== null;
  if (filter.value === null) {
    throw new BackendError("invalid_input", `filter on ${JSON.stringify(column.name)} needs a value`);
  }
  if (filter.op === "contains") {
    const needle = filter.value.toLowerCase();
    return (row) => row[index]?.toLowerCase().includes(needle) ?? false;
  }
  const wanted = typedValue(column, filter.value);
  return (row) => {
    const cell = row[index];
    if (cell === null) return false;
    const have = cellValue(column, cell);
    if (filter.op === "equals") return have === wanted;
    return filter.op === "greater" ? have > wanted : have < wanted;
  };
}

/** Every row matching the query's filters, in keyset order (ignores `after` and `limit`). */
export function mockMatchingRows(table: MockTable, label: string, query: RowQuery): Cell[][] {
  const filters = query.filters ?? [];
  if (filters.length > 16) throw new BackendError("invalid_input", "at most 16 filters at once");
  const tests = filters.map((f) => predicate(table, label, f));
  const idIndex = table.columns.findIndex((c) => c.id);
  const rows = table.rows.filter((row) => tests.every((t) => t(row)));
  rows.sort((a, b) => (a[idIndex]! < b[idIndex]! ? -1 : a[idIndex]! > b[idIndex]! ? 1 : 0));
  if (query.descending) rows.reverse();
  return rows;
}

/** One page of `tenantRows`. */
export function mockRowPage(tenant: Tenant, query: RowQuery): RowPage {
  const table = mockEntityTable(tenant, query.entity);
  const label = mockTableLabel(tenant, table.table);
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1_000);
  const idIndex = table.columns.findIndex((c) => c.id);
  let rows = mockMatchingRows(table, label, query);
  if (query.after !== null) {
    if (!UUID.test(query.after)) {
      throw new BackendError("invalid_input", `cursor ${JSON.stringify(query.after)} is not an id of this table`);
    }
    const after = query.after.toLowerCase();
    rows = rows.filter((r) => (query.descending ? r[idIndex]! < after : r[idIndex]! > after));
  }
  const page = rows.slice(0, limit);
  const truncated: [number, number][] = [];
  const cut = page.map((row, r) =>
    row.map((cell, c) => {
      if (cell !== null && cell.length > MOCK_CELL_CHARS) {
        truncated.push([r, c]);
        return cell.slice(0, MOCK_CELL_CHARS);
      }
      return cell;
    }),
  );
  return {
    entity: table.entity,
    table: label,
    columns: table.columns,
    rows: cut,
    truncated,
    nextAfter: rows.length > limit ? page[page.length - 1]![idIndex]! : null,
  };
}
