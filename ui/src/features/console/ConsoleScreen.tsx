import { RowLimitSelect } from "../../components/RowLimitSelect";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import {
  toBackendError,
  useBackend,
  type BackendError,
  type ConsoleRequest,
  type ConsoleResult,
  type QueryLanguage,
} from "../../backend";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { CodeEditor, type CodeEditorHandle } from "./CodeEditor";
import { ConsoleError } from "./ConsoleError";
import { ConsoleHistory } from "./ConsoleHistory";
import { ConsoleResults } from "./ConsoleResults";
import { exampleStatement, LANGUAGES, tenantNote, type ConsoleTenant } from "./examples";
import { addToHistory, clearHistory, readHistory } from "./history";
import { profileQuery } from "./queries";
import { TenantField, useConsoleTenant } from "./TenantField";
import { SegmentedTabs } from "../../components/SegmentedTabs";

const DEFAULT_ROWS = 500;
const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

type Outcome = { runId: number; result: ConsoleResult } | { runId: number; error: BackendError };

/** Read-only SQL, Cypher and Redis, run in a tenant's space or the platform's. */
export function ConsoleScreen({
  connection,
  initialTenant = null,
}: {
  connection: string | null;
  /** A tenant (id or slug) to start with, e.g. from a tenant's detail. */
  initialTenant?: string | null;
}) {
  const backend = useBackend();
  const profile = useQuery({ ...profileQuery(backend, connection ?? ""), enabled: connection !== null });
  const [language, setLanguage] = useState<QueryLanguage>("sql");
  const [drafts, setDrafts] = useState<Record<QueryLanguage, string>>({ sql: "", cypher: "", redis: "" });
  const [tenantInput, setTenantInput] = useState(initialTenant ?? "");
  const [maxRows, setMaxRows] = useState(DEFAULT_ROWS);
  const [history, setHistory] = useState<Record<QueryLanguage, string[]>>(() => ({
    sql: readHistory("sql"),
    cypher: readHistory("cypher"),
    redis: readHistory("redis"),
  }));
  const [outcomes, setOutcomes] = useState<Partial<Record<QueryLanguage, Outcome>>>({});
  const editor = useRef<CodeEditorHandle>(null);
  const runs = useRef(0);

  const { wanted, lookup } = useConsoleTenant(connection, tenantInput);
  const current = wanted === tenantInput.trim();
  const tenant: ConsoleTenant = {
    input: tenantInput.trim() === "" ? null : tenantInput.trim(),
    resolved: current ? (lookup.data ?? null) : null,
  };
  const example = exampleStatement(language, profile.data, tenant);

  const run = useMutation({
    mutationFn: (request: ConsoleRequest) => backend.runConsole(connection!, request),
    onSuccess: (result, request) => setOutcomes((o) => ({ ...o, [request.language]: { runId: ++runs.current, result } })),
    onError: (error, request) =>
      setOutcomes((o) => ({ ...o, [request.language]: { runId: ++runs.current, error: toBackendError(error) } })),
  });

  function execute(text: string) {
    if (connection === null || run.isPending) return;
    setDrafts((d) => ({ ...d, [language]: text }));
    setHistory((h) => ({ ...h, [language]: addToHistory(language, text) }));
    run.mutate({ language, text, tenant: tenant.input, maxRows });
  }

  function load(text: string) {
    setDrafts((d) => ({ ...d, [language]: text }));
    editor.current?.focus();
  }

  const outcome = outcomes[language];
  const running = run.isPending && run.variables?.language === language;

  return (
    <section className="screen console-screen" data-testid="screen-console" aria-labelledby="console-title">
      <ScreenHeader
        id="console-title"
        title="Console"
        description="Run one statement against the active connection's stores, in a tenant's space or the platform's."
      />
      <div className="console-layout">
        <div className="console-main">
          <div className="console-toolbar">
            <SegmentedTabs
              label="Language"
              options={LANGUAGES}
              current={language}
              testIdPrefix="console-language-"
              onSelect={setLanguage}
            />
            <TenantField
              value={tenantInput}
              onChange={setTenantInput}
              resolved={tenant.resolved}
              error={current && lookup.isError ? lookup.error : null}
              disabled={connection === null}
            />
            <RowLimitSelect className="console-rows" testId="console-max-rows" value={maxRows} onChange={setMaxRows} />
          </div>
          <p className="console-note" data-testid="console-note">
            <Icon name="lock" size={13} />
            <span>
              The console is read-only: the backend refuses writes, whatever the connection's mode.{" "}
              {tenantNote(language, profile.data, tenant)}
            </span>
          </p>
          <CodeEditor
            ref={editor}
            testId="console-editor"
            label={`${LANGUAGES.find((l) => l.id === language)!.label} statement`}
            language={language === "sql" ? "sql" : "plain"}
            value={drafts[language]}
            placeholder={example}
            onChange={(text) => setDrafts((d) => ({ ...d, [language]: text }))}
            onRun={execute}
          />
          <div className="console-actions">
            <button
              type="button"
              className="button primary"
              data-testid="console-run"
              disabled={connection === null || running}
              onClick={() => execute(editor.current?.getText() ?? drafts[language])}
            >
              <Icon name="play" size={13} className={running ? "spin" : undefined} />
              {running ? "Running…" : "Run"}
            </button>
            <span className="muted console-shortcut">{isMac ? "⌘" : "Ctrl"}+Enter</span>
            <span className="spacer" />
            <button type="button" className="button small" data-testid="console-example" onClick={() => load(example)}>
              Insert example
            </button>
          </div>
          {connection === null && <p className="muted">Choose a connection first.</p>}
          {outcome && "error" in outcome && <ConsoleError error={outcome.error} />}
          {outcome && "result" in outcome && <ConsoleResults key={outcome.runId} result={outcome.result} runId={outcome.runId} />}
        </div>
        <ConsoleHistory
          language={language}
          items={history[language]}
          onPick={load}
          onClear={() => {
            clearHistory(language);
            setHistory((h) => ({ ...h, [language]: [] }));
          }}
        />
      </div>
    </section>
  );
}
