import { lazy, Suspense, useState } from "react";
import type { KeyName } from "../../backend";
import { ScreenHeader } from "../../components/Screen";
import { AuditPanel } from "./AuditPanel";
import { CacheBrowser, type PageSizes } from "./CacheBrowser";
import { KEY_PAGE, VALUE_PAGE } from "./queries";
import { WriteAccessControl } from "./WriteAccessControl";
import { WriteLogPanel } from "./WriteLogPanel";
import "./cache.css";
import { SegmentedTabs } from "../../components/SegmentedTabs";

// The live monitor is loaded when its tab is first opened.
const MonitorPanel = lazy(() => import("./MonitorPanel").then((m) => ({ default: m.MonitorPanel })));

type Mode = "browse" | "audit" | "live";

const MODES: { id: Mode; label: string }[] = [
  { id: "browse", label: "Browse" },
  { id: "audit", label: "Audit" },
  { id: "live", label: "Live" },
];

/** The browser (with the write log), the audit and the live monitor of one connection (a new connection starts over). */
function CacheWorkspace({
  connection,
  pageSizes,
  initialKey,
}: {
  connection: string;
  pageSizes: PageSizes;
  initialKey: KeyName | null;
}) {
  const [mode, setMode] = useState<Mode>("browse");
  // The audit and the monitor are built when first opened, then kept (the
  // audit's findings survive a visit to a key; the monitor runs on meanwhile).
  const [opened, setOpened] = useState<ReadonlySet<Mode>>(() => new Set(["browse"]));
  const [selectedKey, setSelectedKey] = useState<KeyName | null>(initialKey);

  /** From a finding: its key, shown in the browser's value viewer. */
  function openKey(key: KeyName) {
    setSelectedKey(key);
    setMode("browse");
  }

  return (
    <>
      <SegmentedTabs
        label="Mode"
        options={MODES}
        current={mode}
        testIdPrefix="cache-mode-"
        className="cache-modes"
        onSelect={(id) => {
          setMode(id);
          setOpened((o) => (o.has(id) ? o : new Set([...o, id])));
        }}
      />
      <div hidden={mode !== "browse"} data-testid="cache-browse-panel">
        <CacheBrowser connection={connection} selectedKey={selectedKey} onSelectKey={setSelectedKey} pageSizes={pageSizes} />
        <WriteLogPanel />
      </div>
      {opened.has("audit") && (
        <div hidden={mode !== "audit"} data-testid="cache-audit-panel">
          <AuditPanel connection={connection} onOpenKey={openKey} />
        </div>
      )}
      {opened.has("live") && (
        <div hidden={mode !== "live"} data-testid="cache-live-panel">
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <MonitorPanel connection={connection} />
          </Suspense>
        </div>
      )}
    </>
  );
}

/**
 * The Redis key space as a namespace tree with keys, TTLs, memory and values,
 * a tenant's cache audit, its live traffic, and guarded deletes (writes
 * unlocked in the header for a while, each entered in the write log).
 */
export function CacheScreen({
  connection,
  keyPageSize = KEY_PAGE,
  valuePageSize = VALUE_PAGE,
  initialKey = null,
}: {
  connection: string | null;
  /** A key to open in the value viewer at once (another screen's link). */
  initialKey?: KeyName | null;
  /** Keys per page of a folder (the backend allows up to 5,000). */
  keyPageSize?: number;
  /** Elements per page of a value (the backend allows up to 1,000). */
  valuePageSize?: number;
}) {
  return (
    <section className="screen cache-screen" data-testid="screen-cache" aria-labelledby="cache-title">
      <ScreenHeader
        id="cache-title"
        title="Cache"
        description="Browse the Redis key space (or one tenant's) as a namespace tree with complete counts and memory, each key's type, TTL and value; audit a tenant's cache for stale, orphaned and TTL-less entries; watch its live traffic."
        actions={connection === null ? undefined : <WriteAccessControl key={connection} connection={connection} />}
      />
      {connection === null ? (
        <p className="muted">Choose a connection first.</p>
      ) : (
        <CacheWorkspace key={connection} connection={connection} pageSizes={{ keys: keyPageSize, values: valuePageSize }} initialKey={initialKey} />
      )}
    </section>
  );
}
