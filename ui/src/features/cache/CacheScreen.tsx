import { useState } from "react";
import type { KeyName } from "../../backend";
import { ScreenHeader } from "../../components/Screen";
import { AuditPanel } from "./AuditPanel";
import { CacheBrowser, type PageSizes } from "./CacheBrowser";
import { KEY_PAGE, VALUE_PAGE } from "./queries";
import "./cache.css";

type Mode = "browse" | "audit";

const MODES: { id: Mode; label: string }[] = [
  { id: "browse", label: "Browse" },
  { id: "audit", label: "Audit" },
];

/** The browser and the audit of one connection (a new connection starts over). */
function CacheWorkspace({ connection, pageSizes }: { connection: string; pageSizes: PageSizes }) {
  const [mode, setMode] = useState<Mode>("browse");
  // The audit is built when first opened, then kept (its findings survive a visit to a key).
  const [auditOpened, setAuditOpened] = useState(false);
  const [selectedKey, setSelectedKey] = useState<KeyName | null>(null);

  /** From a finding: its key, shown in the browser's value viewer. */
  function openKey(key: KeyName) {
    setSelectedKey(key);
    setMode("browse");
  }

  return (
    <>
      <div className="segmented cache-modes" role="tablist" aria-label="Mode">
        {MODES.map((m) => (
          <button
            key={m.id}
            type="button"
            role="tab"
            aria-selected={m.id === mode}
            className={`segment${m.id === mode ? " current" : ""}`}
            data-testid={`cache-mode-${m.id}`}
            onClick={() => {
              setMode(m.id);
              if (m.id === "audit") setAuditOpened(true);
            }}
          >
            {m.label}
          </button>
        ))}
      </div>
      <div hidden={mode !== "browse"} data-testid="cache-browse-panel">
        <CacheBrowser connection={connection} selectedKey={selectedKey} onSelectKey={setSelectedKey} pageSizes={pageSizes} />
      </div>
      {auditOpened && (
        <div hidden={mode !== "audit"} data-testid="cache-audit-panel">
          <AuditPanel connection={connection} onOpenKey={openKey} />
        </div>
      )}
    </>
  );
}

/** The Redis key space as a namespace tree with keys, TTLs and values, and a tenant's cache audit. */
export function CacheScreen({
  connection,
  keyPageSize = KEY_PAGE,
  valuePageSize = VALUE_PAGE,
}: {
  connection: string | null;
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
        description="Browse the Redis key space (or one tenant's) as a namespace tree with complete counts, each key's type, TTL and value; audit a tenant's cache for stale, orphaned and TTL-less entries."
      />
      {connection === null ? (
        <p className="muted">Choose a connection first.</p>
      ) : (
        <CacheWorkspace key={connection} connection={connection} pageSizes={{ keys: keyPageSize, values: valuePageSize }} />
      )}
    </section>
  );
}
