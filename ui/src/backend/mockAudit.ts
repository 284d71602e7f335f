// The tenant audit for the mock backend, as crates/core/src/audit has it:
// eight checks in turn with progress and cancel, each clean, with findings,
// skipped (its store not configured) or failed (its store down, with that
// error's code), gathered worst first with a summary per severity. Planted in
// globex (as on the sandbox): a read-model row lagging its events, a graph
// node without a row, relationships to acme's nodes, the cache's stale,
// orphaned and TTL-less entries, an object without a row. In cyberdyne: a
// drifted row, a row without its node, a sensitive graph property, a row
// naming a missing object. Other tenants are clean. Reports are kept for
// `auditExport` (JSON, or HTML for a ticket) into the exports folder.
import { BackendError } from "./errors";
import { mockGraphId, type MockGraph } from "./mockGraphData";
import { mockCount, mockUuid, sleep } from "./mockIds";
import { MOCK_BUCKET, mockObjectPrefix } from "./mockProfile";
import type {
  AuditCheck,
  AuditProgress,
  AuditReport,
  CacheAudit,
  CheckRun,
  ErrorPayload,
  Finding,
  FindingKind,
  ReportFormat,
  SavedFile,
  SaveFileRequest,
  Severity,
  SeverityCount,
  StoreKind,
  Tenant,
} from "./types";

/** The checks in the order they run, what each reads, and how the core describes it. */
export const MOCK_AUDIT_CHECKS: { check: AuditCheck; stores: StoreKind[]; describe: string }[] = [
  { check: "read_model", stores: ["postgres"], describe: "read model against the fold of the event log" },
  { check: "graph_nodes", stores: ["graph"], describe: "graph nodes against rows (and sensitive properties)" },
  { check: "cross_tenant_relationships", stores: ["graph"], describe: "relationships to other tenants' nodes" },
  { check: "cache", stores: ["redis"], describe: "cache entries against rows, and mandatory TTLs" },
  { check: "objects", stores: ["objects"], describe: "objects against rows" },
  { check: "isolation", stores: ["redis", "objects"], describe: "the tenant's id under other tenants' keys and objects" },
  { check: "sensitive_cache_values", stores: ["redis"], describe: "sensitive values in cached values" },
  { check: "backups", stores: [], describe: "the newest verified backup" },
];

/** Planted ids, for tests. */
export const MOCK_AUDIT_IDS = {
  globexLag: mockUuid("planted/globex/lagging-atom"),
  globexOrphanNode: (globex: Tenant) => mockGraphId(globex.slug, "Atom", "orphan-limit-3"),
  globexObject: `${mockObjectPrefix("globex")}documents/${mockUuid("planted/globex/orphan-object")}.pdf`,
  cyberdyneDrift: mockUuid("planted/cyberdyne/drifted-molecule"),
  cyberdyneRowWithoutNode: mockUuid("planted/cyberdyne/nodeless-atom"),
  cyberdyneSensitive: mockUuid("planted/cyberdyne/sensitive-atom"),
  cyberdyneMissingObject: mockUuid("planted/cyberdyne/documentless"),
};

const KIND_ORDER: readonly FindingKind[] = [
  "cache_stale",
  "cache_orphaned",
  "cache_missing_ttl",
  "read_model_lag",
  "read_model_drift",
  "read_model_missing",
  "read_model_orphaned",
  "graph_node_without_row",
  "row_without_graph_node",
  "cross_tenant_relationship",
  "object_without_row",
  "row_without_object",
  "isolation_breach",
  "sensitive_value",
  "backup_missing_or_old",
];
const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export interface MockAuditContext {
  connection: string;
  tenant: Tenant;
  tenants: Tenant[];
  configured: ReadonlySet<StoreKind>;
  down: Partial<Record<StoreKind, ErrorPayload>>;
  graph: () => MockGraph;
  /** The cache audit of the tenant (its findings are the cache check's). */
  cacheAudit: (signal: AbortSignal) => Promise<CacheAudit>;
  /** Pause before each check, in ms. Cancelling ends it at once. */
  delayMs: number;
  signal: AbortSignal;
}

interface Outcome {
  checked: number;
  findings: Finding[];
  notes: string[];
  skipped?: boolean;
}

function finding(kind: FindingKind, severity: Severity, stores: StoreKind[], subject: string, rest: Omit<Finding, "kind" | "severity" | "stores" | "subject">): Finding {
  return { kind, severity, stores, subject, ...rest };
}

function readModel(t: Tenant): Finding[] {
  if (t.slug === "globex") {
    const id = MOCK_AUDIT_IDS.globexLag;
    return [
      finding("read_model_lag", "medium", ["postgres"], id, {
        entityType: "atom",
        message: `the row of atom ${id} is the state after event 3 of 5 (sequence 4102): 2 later events are not applied`,
        evidence: [
          { store: "postgres", location: `atoms ${id}`, value: { title: "Tax limit", status: "draft", version: 3 }, key: null },
          { store: "postgres", location: "fold of 5 events", value: { title: "Tax limit (2025)", status: "published", version: 5 }, key: null },
        ],
        remedy: "let the projection catch up, or replay the aggregate's later events",
      }),
    ];
  }
  if (t.slug === "cyberdyne") {
    const id = MOCK_AUDIT_IDS.cyberdyneDrift;
    return [
      finding("read_model_drift", "high", ["postgres"], id, {
        entityType: "molecule",
        message: `the row of molecule ${id} matches no state of its 7 events`,
        evidence: [
          { store: "postgres", location: `tenant_cyberdyne.molecules ${id}`, value: { name: "Skynet uplink", weight: 999 }, key: null },
          { store: "postgres", location: "fold of 7 events", value: { name: "Skynet uplink", weight: 12 }, key: null },
        ],
        remedy: "find what wrote the row outside the projection, then rebuild it from the log",
      }),
    ];
  }
  return [];
}

function graphNodes(t: Tenant): Finding[] {
  if (t.slug === "globex") {
    const id = MOCK_AUDIT_IDS.globexOrphanNode(t);
    return [
      finding("graph_node_without_row", "medium", ["graph", "postgres"], id, {
        entityType: "atom",
        message: `(:Atom ${id}) has no row in atoms`,
        evidence: [
          { store: "graph", location: `:Atom {id: "${id}"}`, value: null, key: null },
          { store: "postgres", location: `atoms ${id}`, value: null, key: null },
        ],
        remedy: "delete the node (DETACH DELETE), or replay the aggregate if the row is what is missing",
      }),
    ];
  }
  if (t.slug === "cyberdyne") {
    const missing = MOCK_AUDIT_IDS.cyberdyneRowWithoutNode;
    const sensitive = MOCK_AUDIT_IDS.cyberdyneSensitive;
    return [
      finding("row_without_graph_node", "medium", ["postgres", "graph"], missing, {
        entityType: "atom",
        message: `tenant_cyberdyne.atoms ${missing} has no (:Atom) node`,
        evidence: [{ store: "postgres", location: `tenant_cyberdyne.atoms ${missing}`, value: null, key: null }],
        remedy: "replay the aggregate's events into the graph projection",
      }),
      finding("sensitive_value", "high", ["graph"], sensitive, {
        entityType: "atom",
        message: `(:Atom ${sensitive}) has an email address in its property contact`,
        evidence: [{ store: "graph", location: `:Atom {id: "${sensitive}"}.contact`, value: "m***@cyberdyne.example", key: null }],
        remedy: "remove the value from the node; keep personal data in the read model only",
      }),
    ];
  }
  return [];
}

/** The tenant's relationships to other tenants' nodes in the mock graph. */
function crossTenant(t: Tenant, graph: MockGraph, tenants: Tenant[]): Outcome {
  const mine = [...graph.nodes.values()].filter((n) => n.tenant === t.id);
  const findings: Finding[] = [];
  for (const e of graph.edges) {
    const a = graph.nodes.get(e.source)!;
    const b = graph.nodes.get(e.target)!;
    if (a.tenant !== t.id || b.tenant === t.id) continue;
    const other = tenants.find((x) => x.id === b.tenant);
    findings.push(
      finding("cross_tenant_relationship", "critical", ["graph"], a.id, {
        entityType: a.labels[0] === "Atom" ? "atom" : a.labels[0] === "Molecule" ? "molecule" : null,
        message: `(:${a.labels[0]} ${a.id}) -[:${e.type}]-> (:${b.labels[0]} ${b.id}) of tenant ${other?.slug ?? b.tenant}`,
        evidence: [
          { store: "graph", location: `:${a.labels[0]} {id: "${a.id}"}`, value: { tenant: t.id }, key: null },
          { store: "graph", location: `:${b.labels[0]} {id: "${b.id}"}`, value: { tenant: b.tenant }, key: null },
        ],
        remedy: "delete the relationship; find the projection step that linked across tenants",
      }),
    );
  }
  return { checked: Math.max(mine.length, 1) * 3, findings, notes: [] };
}

function objects(t: Tenant): Finding[] {
  if (t.slug === "globex") {
    const key = MOCK_AUDIT_IDS.globexObject;
    return [
      finding("object_without_row", "medium", ["objects", "postgres"], key, {
        entityType: "document",
        message: `${MOCK_BUCKET}/${key} has no row in documents naming it`,
        evidence: [
          { store: "objects", location: `${MOCK_BUCKET}/${key}`, value: null, key: null },
          { store: "postgres", location: `documents.object_key = "${key.slice(mockObjectPrefix("globex").length)}"`, value: null, key: null },
        ],
        remedy: "delete the object, or restore the row that owned it",
      }),
    ];
  }
  if (t.slug === "cyberdyne") {
    const id = MOCK_AUDIT_IDS.cyberdyneMissingObject;
    return [
      finding("row_without_object", "high", ["postgres", "objects"], id, {
        entityType: "document",
        message: `tenant_cyberdyne.documents ${id} names object documents/${id}.pdf, which is not in ${MOCK_BUCKET}`,
        evidence: [
          { store: "postgres", location: `tenant_cyberdyne.documents ${id}`, value: `documents/${id}.pdf`, key: null },
          { store: "objects", location: `${MOCK_BUCKET}/${mockObjectPrefix("cyberdyne")}documents/${id}.pdf`, value: null, key: null },
        ],
        remedy: "restore the object from a backup, or clear the row's object key",
      }),
    ];
  }
  return [];
}

async function runCheck(check: AuditCheck, ctx: MockAuditContext): Promise<Outcome> {
  const t = ctx.tenant;
  const n = (what: string, min: number, max: number) => mockCount(`${t.id}/audit/${what}`, min, max);
  switch (check) {
    case "read_model": {
      const aggregates = n("aggregates", 40, 900);
      return { checked: aggregates, findings: readModel(t), notes: [`${aggregates} aggregates folded`] };
    }
    case "graph_nodes": {
      const nodes = n("nodes", 40, 1_200);
      return { checked: nodes, findings: graphNodes(t), notes: [`${nodes} of the tenant's nodes read`] };
    }
    case "cross_tenant_relationships":
      return crossTenant(t, ctx.graph(), ctx.tenants);
    case "cache": {
      const audit = await ctx.cacheAudit(ctx.signal);
      return {
        checked: Number(audit.keysScanned),
        findings: audit.findings,
        notes: [`${audit.ttlChecked} keys checked for a TTL, ${audit.entitiesChecked} entities against their rows`],
      };
    }
    case "objects":
      return { checked: n("objects", 3, 400), findings: objects(t), notes: [] };
    case "isolation":
      return { checked: n("isolation", 20, 600), findings: [], notes: ["other tenants' keys and objects searched for the tenant's id"] };
    case "sensitive_cache_values":
      return { checked: n("values", 10, 300), findings: [], notes: [] };
    case "backups":
      return { checked: 0, findings: [], notes: ["the profile sets no maximum backup age"], skipped: true };
  }
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained page, as audit/html.rs writes it (in short). */
function renderHtml(r: AuditReport): string {
  const rows = r.findings
    .map(
      (f) =>
        `<tr><td class="${f.severity}">${f.severity}</td><td>${f.kind}</td><td>${f.stores.join(", ")}</td><td><code>${escapeHtml(f.subject)}</code></td><td>${escapeHtml(f.message)}</td><td>${escapeHtml(f.remedy)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Audit of ${escapeHtml(r.tenant.slug)}</title></head>
<body><h1>Audit of ${escapeHtml(r.tenant.slug)}</h1>
<p>${escapeHtml(r.connection)} · ${escapeHtml(r.profile)} · ${r.startedAt}</p>
<table>${rows}</table></body></html>
`;
}

/** Runs audits and keeps their reports (the latest 20) for export. */
export function createMockAudits(save: (request: SaveFileRequest) => SavedFile) {
  const kept: AuditReport[] = [];
  let runs = 0;

  async function run(ctx: MockAuditContext, onProgress: (progress: AuditProgress) => void): Promise<AuditReport> {
    const started = Date.now();
    const total = MOCK_AUDIT_CHECKS.length;
    const say = (check: AuditCheck, checksDone: number, message: string) => onProgress({ check, checksDone, checks: total, message });
    say("read_model", 0, "reading row ids");
    const checks: CheckRun[] = [];
    const findings: Finding[] = [];
    for (const [i, { check, stores, describe }] of MOCK_AUDIT_CHECKS.entries()) {
      await sleep(ctx.delayMs, ctx.signal);
      if (ctx.signal.aborted) throw new BackendError("cancelled", "cancelled");
      say(check, i, `${describe}: starting`);
      const checkStarted = Date.now();
      const missing = stores.length > 0 && stores.every((s) => !ctx.configured.has(s));
      const down = stores.map((s) => ctx.down[s]).find((e) => e !== undefined);
      let runOf: CheckRun;
      if (missing) {
        runOf = { check, status: "skipped", checked: "0", findings: 0, notes: [`no ${stores.join(" or ")} on this connection`], error: null, elapsedMs: 0 };
      } else if (down) {
        runOf = { check, status: "failed", checked: "0", findings: 0, notes: [], error: { code: down.code, message: down.message }, elapsedMs: Date.now() - checkStarted };
      } else {
        const o = await runCheck(check, ctx);
        if (ctx.signal.aborted) throw new BackendError("cancelled", "cancelled");
        runOf = {
          check,
          status: o.skipped ? "skipped" : o.findings.length > 0 ? "findings" : "clean",
          checked: String(o.checked),
          findings: o.findings.length,
          notes: o.notes,
          error: null,
          elapsedMs: Date.now() - checkStarted,
        };
        findings.push(...o.findings);
      }
      checks.push(runOf);
    }
    say("backups", total, "done");
    findings.sort(compareFindings);
    const summary: SeverityCount[] = [];
    for (const f of findings) {
      const last = summary[summary.length - 1];
      if (last && last.severity === f.severity) last.count += 1;
      else summary.push({ severity: f.severity, count: 1 });
    }
    const t = ctx.tenant;
    const report: AuditReport = {
      id: `${t.slug}-${mockUuid(`audit/${t.slug}/${++runs}`).slice(0, 8)}`,
      connection: ctx.connection,
      profile: "sandbox",
      tenant: { id: t.id, slug: t.slug, tier: t.tier },
      startedAt: new Date(started).toISOString(),
      elapsedMs: Date.now() - started,
      checks,
      findings,
      summary,
    };
    kept.push(structuredClone(report));
    if (kept.length > 20) kept.shift();
    return report;
  }

  function exportReport(id: string, format: ReportFormat): SavedFile {
    const report = kept.find((r) => r.id === id);
    if (!report) throw new BackendError("not_found", `no audit report ${id}: run the audit again`);
    const text = format === "json" ? JSON.stringify(report, null, 2) : renderHtml(report);
    return save({ fileName: `audit-${report.id}.${format}`, text, base64: null });
  }

  return { run, export: exportReport };
}
