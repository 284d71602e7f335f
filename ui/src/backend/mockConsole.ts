// `runConsole` for the mock backend: enough SQL, Cypher and Redis to look at
// the console (selects over the fake entity tables, MATCH over their nodes,
// read-only Redis commands), with the real console's refusals and scopes.
import { BackendError } from "./errors";
import { mockCypherTriples } from "./mockGraph";
import type { MockGraph } from "./mockGraphData";
import { MOCK_PROFILE } from "./mockProfile";
import { checkRedisReadOnly, mockKeyspace, redisReply, splitCommandLine, type RedisReply } from "./mockRedis";
import { mockEntityTable } from "./mockRows";
import type { ConsoleRequest, ConsoleResult, ConnectionDraft, ErrorPayload, GraphView, StoreKind, Tenant } from "./types";

type Cell = string | null;
interface Grid {
  columns: string[];
  rows: Cell[][];
  /** Cypher: the nodes and relationships of the kept rows. */
  graph?: GraphView | null;
}

export interface MockConsoleContext {
  draft: ConnectionDraft;
  /** The tenant the request named, resolved (null when it named none). */
  tenant: Tenant | null;
  /** Tenants whose rows a query without a tenant sees (the shared row-tier tables). */
  shared: Tenant[];
  down: Partial<Record<StoreKind, ErrorPayload>>;
  /** The graph Cypher relationship patterns read (built when first asked for). */
  graph: () => MockGraph;
}

const CELL_CHARS = 4_096;
const REFUSED_FUNCTIONS = ["pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "lo_import", "lo_export", "dblink", "pg_notify"];
const SQL_WRITES = ["insert", "update", "delete", "merge", "drop", "create", "alter", "truncate", "grant", "revoke", "copy", "lock", "comment", "vacuum", "reindex", "cluster"];
const CYPHER_WRITES = ["CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD"];

function need(ctx: MockConsoleContext, store: StoreKind, label: string) {
  if (ctx.draft[store] === null) {
    throw new BackendError("config", `${label} of connection "${ctx.draft.name}" is not configured`);
  }
  const down = ctx.down[store];
  if (down) throw new BackendError(down.code, down.message);
}

/** The rows of an entity table that a statement in this scope sees. */
function tableRows(ctx: MockConsoleContext, table: string) {
  const entity = MOCK_PROFILE.entities.find((e) => e.table === table);
  if (!entity) return null;
  const tenants = ctx.tenant && ctx.tenant.tier !== "row" ? [ctx.tenant] : ctx.shared;
  const parts = tenants.map((t) => mockEntityTable(t, entity.entityType));
  return { columns: parts[0]?.columns.map((c) => c.name) ?? [], rows: parts.flatMap((p) => p.rows), entity };
}

function databaseOf(ctx: MockConsoleContext): string {
  const loc = ctx.tenant?.location;
  if (loc?.kind === "database") return loc.database;
  const url = ctx.draft.postgres?.url ?? "";
  return /\/([^/?]+)(?:\?|$)/.exec(url.replace(/^\w+:\/\/[^/]*/, ""))?.[1] ?? "(default database)";
}

function sqlScope(ctx: MockConsoleContext): string {
  const loc = ctx.tenant?.location;
  return loc ? `schema ${loc.schema} of ${databaseOf(ctx)}` : `database ${databaseOf(ctx)}`;
}

function sqlExpression(ctx: MockConsoleContext, expr: string): [string, Cell] {
  const e = expr.trim();
  const alias = /\s+as\s+"?(\w+)"?$/i.exec(e);
  const body = alias ? e.slice(0, alias.index) : e;
  const named = (name: string, value: Cell): [string, Cell] => [alias?.[1] ?? name, value];
  if (/^-?\d+(\.\d+)?$/.test(body)) return named("?column?", body);
  if (/^'.*'$/.test(body)) return named("?column?", body.slice(1, -1));
  if (/^current_setting\(\s*'storelens\.tenant_id'\s*\)$/i.test(body)) return named("current_setting", ctx.tenant?.id ?? "");
  if (/^version\(\)$/i.test(body)) return named("version", "PostgreSQL 15.8 on x86_64-pc-linux-gnu, compiled by gcc, 64-bit");
  if (/^now\(\)$/i.test(body)) return named("now", new Date().toISOString().replace("T", " ").replace("Z", "+00"));
  if (/^current_schema(\(\))?$/i.test(body)) return named("current_schema", ctx.tenant?.location.schema ?? "public");
  throw new BackendError("query", `postgres query failed: column "${body}" does not exist`);
}

function runSql(ctx: MockConsoleContext, text: string): Grid {
  need(ctx, "postgres", "postgres");
  const statement = text.replace(/;\s*$/, "").trim();
  const lower = statement.toLowerCase();
  const refused = REFUSED_FUNCTIONS.find((f) => lower.includes(`${f}(`));
  if (refused) throw new BackendError("read_only", `${refused}() acts outside the transaction and is not allowed in the console`);
  const first = lower.split(/\s+/)[0]!;
  if (SQL_WRITES.includes(first)) {
    throw new BackendError("read_only", `PostgreSQL refused a write: cannot execute ${first.toUpperCase()} in a read-only transaction`);
  }
  if (statement.includes(";")) {
    throw new BackendError("query", "postgres query failed: cannot insert multiple commands into a prepared statement");
  }
  if (first === "show") return { columns: [lower.split(/\s+/)[1] ?? "setting"], rows: [["on"]] };
  if (first !== "select") throw new BackendError("query", `postgres query failed: syntax error at or near "${statement.split(/\s+/)[0]}"`);

  const m = /^select\s+(.+?)(?:\s+from\s+("?[\w.]+"?(?:\."?\w+"?)?))?(?:\s+where\s+(.+?))?(?:\s+order\s+by\s+.+?)?(?:\s+limit\s+(\d+))?$/is.exec(statement);
  if (!m) throw new BackendError("query", "postgres query failed: syntax error at end of input");
  const [, list, from, where, limit] = m;
  if (!from) {
    const cells = list!.split(",").map((e) => sqlExpression(ctx, e));
    return { columns: cells.map((c) => c[0]), rows: [cells.map((c) => c[1])] };
  }
  const name = from.replace(/"/g, "").split(".").pop()!;
  const table = tableRows(ctx, name);
  if (!table) throw new BackendError("query", `postgres query failed: relation "${from.replace(/"/g, "")}" does not exist`);
  let rows = table.rows;
  if (where && /current_setting\(\s*'storelens\.tenant_id'\s*\)/i.test(where)) {
    const t = table.columns.indexOf("tenant_id");
    rows = rows.filter((r) => r[t] === (ctx.tenant?.id ?? ""));
  }
  if (limit) rows = rows.slice(0, Number(limit));
  if (/^count\(\*\)$/i.test(list!.trim())) return { columns: ["count"], rows: [[String(rows.length)]] };
  if (list!.trim() === "*") return { columns: table.columns, rows };
  const wanted = list!.split(",").map((c) => c.trim().replace(/"/g, ""));
  const indexes = wanted.map((c) => {
    const i = table.columns.indexOf(c);
    if (i < 0) throw new BackendError("query", `postgres query failed: column "${c}" does not exist`);
    return i;
  });
  return { columns: wanted, rows: rows.map((r) => indexes.map((i) => r[i] ?? null)) };
}

function runCypher(ctx: MockConsoleContext, text: string, cap: number): Grid {
  const words = text.toUpperCase().match(/[A-Z_]+/g) ?? [];
  const write = words.find((w) => CYPHER_WRITES.includes(w));
  if (write) throw new BackendError("read_only", `the Cypher console is read-only: ${write} is not allowed`);
  need(ctx, "graph", "graph");
  if (/\$tenant\b/.test(text) && !ctx.tenant) {
    throw new BackendError("query", "graph query failed: Expected parameter(s): tenant");
  }
  // A relationship pattern reads the mock graph: (n)-[r]->(m) rows and their graph view.
  const triples = /^\s*MATCH\s*\(\s*\w+\s*\)\s*-\s*\[\s*\w+\s*\]\s*->\s*\(\s*\w+\s*\).*?RETURN\s+.+?(?:\s+LIMIT\s+(\d+))?\s*;?\s*$/is.exec(text);
  if (triples) {
    const tenant = /\$tenant\b/.test(text) ? ctx.tenant : null;
    return mockCypherTriples(ctx.graph(), tenant, triples[1] ? Number(triples[1]) : Number.MAX_SAFE_INTEGER, cap);
  }
  const m = /^\s*MATCH\s*\(\s*(\w+)\s*(?::\s*(\w+))?\s*\)(.*?)\s+RETURN\s+(.+?)(?:\s+LIMIT\s+(\d+))?\s*;?\s*$/is.exec(text);
  if (!m) throw new BackendError("query", `graph query failed: Invalid input '${text.trim().split(/\s+/)[0]}'`);
  const [, variable, label, , returns, limit] = m;
  const entity = MOCK_PROFILE.entities.find((e) => e.graphLabel === label) ?? (label ? undefined : MOCK_PROFILE.entities[0]);
  const tenants = /\$tenant\b/.test(text) && ctx.tenant ? [ctx.tenant] : ctx.shared;
  const nodes = entity
    ? tenants.flatMap((t) => {
        const table = mockEntityTable(t, entity.entityType);
        const title = table.columns.findIndex((c) => c.name === "title" || c.name === "name");
        return table.rows.map((r) => ({ id: r[0]!, tenantId: t.id, ...(title >= 0 ? { title: r[title] } : {}) }));
      })
    : [];
  const shown = limit ? nodes.slice(0, Number(limit)) : nodes;
  const exprs = returns!.split(",").map((r) => r.trim());
  if (exprs.length === 1 && new RegExp(`^count\\(\\s*${variable}\\s*\\)$`, "i").test(exprs[0]!)) {
    return { columns: [exprs[0]!], rows: [[String(nodes.length)]] };
  }
  const cell = (expr: string, node: Record<string, string | null>): Cell => {
    if (expr === variable) return JSON.stringify({ labels: [entity!.graphLabel], properties: node });
    const prop = new RegExp(`^${variable}\\.(\\w+)$`).exec(expr);
    if (prop) return node[prop[1]!] ?? null;
    throw new BackendError("query", `graph query failed: Variable \`${expr}\` not defined`);
  };
  return { columns: exprs, rows: shown.map((n) => exprs.map((e) => cell(e, n))) };
}

function flatten(reply: RedisReply[], prefix: string, out: Cell[][]) {
  reply.forEach((item, i) => {
    const label = `${prefix}${i + 1}`;
    if (Array.isArray(item) && item.length > 0) flatten(item, `${label}.`, out);
    else out.push([label, Array.isArray(item) ? "(empty array)" : item]);
  });
}

function runRedis(ctx: MockConsoleContext, text: string): Grid {
  const args = splitCommandLine(text);
  checkRedisReadOnly(args);
  need(ctx, "redis", "redis");
  const keyspace = mockKeyspace(ctx.tenant ? [...new Set([...ctx.shared, ctx.tenant])] : ctx.shared);
  const reply = redisReply(args, keyspace);
  if (Array.isArray(reply)) {
    const rows: Cell[][] = [];
    flatten(reply, "", rows);
    return { columns: ["#", "value"], rows };
  }
  return { columns: ["value"], rows: [[reply]] };
}

export function mockConsole(ctx: MockConsoleContext, request: ConsoleRequest): ConsoleResult {
  const started = performance.now();
  const text = request.text.trim();
  if (text === "") throw new BackendError("invalid_input", "the statement is empty");
  if (text.length > 64 * 1024) throw new BackendError("invalid_input", "the statement is longer than 65536 bytes");
  const cap = Math.min(Math.max(request.maxRows ?? 500, 1), 10_000);
  let grid: Grid;
  let scope: string;
  switch (request.language) {
    case "sql":
      grid = runSql(ctx, text);
      scope = sqlScope(ctx);
      break;
    case "cypher":
      grid = runCypher(ctx, text, cap);
      scope = ctx.tenant ? `graph, $tenant = ${JSON.stringify(ctx.tenant.id)}` : "graph ($tenant not bound)";
      break;
    case "redis":
      grid = runRedis(ctx, text);
      scope = ctx.tenant ? `Redis; the tenant's keys start with tenant:${ctx.tenant.id}:` : "Redis";
      break;
  }
  const truncatedCells: [number, number][] = [];
  const rows = grid.rows.slice(0, cap).map((row, r) =>
    row.map((cell, c) => {
      if (cell !== null && cell.length > CELL_CHARS) {
        truncatedCells.push([r, c]);
        return cell.slice(0, CELL_CHARS);
      }
      return cell;
    }),
  );
  return {
    language: request.language,
    columns: grid.columns,
    rows,
    truncatedCells,
    more: grid.rows.length > cap,
    scope,
    elapsedMs: Math.max(1, Math.round(performance.now() - started)),
    graph: grid.graph ?? null,
  };
}
