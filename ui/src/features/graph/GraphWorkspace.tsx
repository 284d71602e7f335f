import { TenantInput } from "../../components/TenantInput";
import { useQuery } from "@tanstack/react-query";
import { Suspense, useEffect, useMemo, useRef, useState, type ComponentType } from "react";
import { useBackend } from "../../backend";
import { QueryResultGrid } from "../../components/QueryResultGrid";
import { SegmentedTabs } from "../../components/SegmentedTabs";
import { queryKeys } from "../../lib/queryKeys";
import { CanvasBoundary } from "./canvas/CanvasFallback";
import type { GraphCanvasHandle, GraphCanvasProps } from "./canvas/types";
import { blobToDataUrl } from "./exportFile";
import { breaches } from "./model/breaches";
import { exportFileName, graphJson } from "./model/exportJson";
import { pathSteps } from "./model/pathSteps";
import { DEFAULT_EXPAND_FORM, DEFAULT_PATH_FORM, MAX_START, type ExpandForm, type PathForm } from "./model/requests";
import { legend } from "./model/styling";
import { seenNames } from "./model/vocabulary";
import { AnswerNotes } from "./panels/AnswerNotes";
import { BreachNotice } from "./panels/BreachNotice";
import { CanvasLocator } from "./panels/CanvasLocator";
import { CypherPanel } from "./panels/CypherPanel";
import { EdgeInspector } from "./panels/EdgeInspector";
import { ExportNote, type ExportOutcome } from "./panels/ExportNote";
import { ExpandControls } from "./panels/ExpandControls";
import { GraphError } from "./panels/GraphError";
import { GraphToolbar } from "./panels/GraphToolbar";
import { Legend } from "./panels/Legend";
import { NodeInspector, type NodeLinks } from "./panels/NodeInspector";
import { PathPanel } from "./panels/PathPanel";
import { SearchPanel } from "./panels/SearchPanel";
import { useGraphExplorer } from "./useGraphExplorer";

type Mode = "search" | "cypher";
const MODES: { id: Mode; label: string }[] = [
  { id: "search", label: "Search" },
  { id: "cypher", label: "Cypher" },
];
type ResultView = "graph" | "table";
const RESULT_VIEWS: { id: ResultView; label: string }[] = [
  { id: "graph", label: "Graph" },
  { id: "table", label: "Table" },
];

/** A search to start with: a tenant and the id (or name) of one of its nodes. */
export interface GraphStart {
  tenant: string;
  text: string;
}

/** The graph screen of one connection: the forms, the canvas, the inspector. */
export function GraphWorkspace({
  connection,
  Canvas,
  links,
  initial = null,
}: {
  connection: string;
  Canvas: ComponentType<GraphCanvasProps>;
  links: NodeLinks;
  initial?: GraphStart | null;
}) {
  const backend = useBackend();
  const profile = useQuery({
    queryKey: queryKeys.profile(connection),
    queryFn: () => backend.profileSummary(connection),
    staleTime: 5 * 60_000,
  });
  const g = useGraphExplorer(connection);
  const [tenant, setTenant] = useState(initial?.tenant ?? "");
  const [mode, setMode] = useState<Mode>("search");
  const [resultView, setResultView] = useState<ResultView>("graph");
  const [expandForm, setExpandForm] = useState<ExpandForm>(DEFAULT_EXPAND_FORM);
  const [pathForm, setPathForm] = useState<PathForm>(DEFAULT_PATH_FORM);
  const [exported, setExported] = useState<ExportOutcome | null>(null);
  const canvas = useRef<GraphCanvasHandle>(null);

  const { model } = g;
  const names = useMemo(() => seenNames(model), [model]);
  const found = useMemo(() => breaches(model), [model]);
  const colours = useMemo(() => legend(model.nodes.values()), [model]);
  const steps = useMemo(() => (model.paths[0] ? pathSteps(model, model.paths[0]) : []), [model]);
  const busy = g.pending !== null;
  const frontier = g.frontier.slice(0, MAX_START);

  const selectedNode = g.selection?.kind === "node" ? model.nodes.get(g.selection.key) : undefined;
  const selectedEdge = g.selection?.kind === "edge" ? model.edges.get(g.selection.key) : undefined;
  const selectNode = (key: string) => g.select({ kind: "node", key }, true);

  // Opened from a link: its search runs once, as if typed in.
  const started = useRef(false);
  useEffect(() => {
    if (!initial || started.current) return;
    started.current = true;
    void g.search(initial.tenant, initial.text);
  }, []);

  // The webview cannot write files (nor do all honour a download link): the backend saves
  // them, new, in the exports folder.
  async function exportPng() {
    setExported(null);
    try {
      const png = await canvas.current!.toPng();
      const saved = await backend.saveFile({ fileName: exportFileName(model, "png"), text: null, base64: await blobToDataUrl(png) });
      setExported({ saved: saved.path });
    } catch (e) {
      setExported({ failed: e });
    }
  }

  async function exportJson() {
    setExported(null);
    try {
      const saved = await backend.saveFile({ fileName: exportFileName(model, "json"), text: graphJson(model), base64: null });
      setExported({ saved: saved.path });
    } catch (e) {
      setExported({ failed: e });
    }
  }

  return (
    <div className="graph-layout">
      <aside className="graph-side" aria-label="Graph queries">
        <TenantInput testId="graph-tenant" value={tenant} onChange={setTenant} />
        <SegmentedTabs label="Start from" options={MODES} current={mode} testIdPrefix="graph-mode-" onSelect={setMode} />
        {mode === "search" ? (
          <SearchPanel
            initialText={initial?.text ?? ""}
            hits={g.hits}
            busy={g.pending === "search"}
            isDrawn={(key) => model.nodes.has(key)}
            onSearch={(text) => void g.search(tenant, text)}
            onAdd={g.addHit}
          />
        ) : (
          <CypherPanel
            tenantProperty={profile.data?.graphTenantProperty ?? null}
            busy={g.pending === "cypher"}
            onRun={(text, maxRows) => {
              setResultView("graph");
              void g.runCypher(tenant, text, maxRows);
            }}
          />
        )}
        <ExpandControls
          form={expandForm}
          labels={names.labels}
          types={names.types}
          frontier={frontier.length}
          busy={busy}
          onChange={setExpandForm}
          onExpandFrontier={() => void g.expand(tenant, frontier, expandForm)}
        />
        <PathPanel
          form={pathForm}
          steps={steps}
          paths={model.paths.length}
          busy={busy}
          onChange={setPathForm}
          onRun={() => void g.findPath(tenant, pathForm)}
          onUnhighlight={g.unhighlightPaths}
          onSelectNode={selectNode}
        />
      </aside>

      <div className="graph-center">
        <GraphToolbar
          nodes={model.nodes.size}
          edges={model.edges.size}
          json={() => graphJson(model)}
          onExportPng={() => void exportPng()}
          onExportJson={() => void exportJson()}
          onClear={g.clear}
        />
        {exported && <ExportNote outcome={exported} />}
        {busy && (
          <p className="muted graph-small" data-testid="graph-pending" role="status">
            Asking the graph…
          </p>
        )}
        {g.failure && <GraphError failure={g.failure} />}
        {g.answer && <AnswerNotes answer={g.answer} />}
        <BreachNotice
          edges={found.edges}
          foreignNodes={found.foreignNodes}
          onSelectEdge={(key) => g.select({ kind: "edge", key })}
          onSelectNode={selectNode}
        />
        <div className="graph-stage-bar">
          <CanvasLocator nodes={model.nodes} onPick={selectNode} />
          {g.cypher && (
            <SegmentedTabs label="Cypher answer as" options={RESULT_VIEWS} current={resultView} testIdPrefix="graph-result-view-" onSelect={setResultView} />
          )}
        </div>
        <Legend labels={colours.labels} foreign={colours.foreign} paths={model.paths.length > 0} />
        <div className="graph-canvas" data-testid="graph-canvas" hidden={resultView === "table" && g.cypher !== null}>
          {model.nodes.size === 0 && (
            <p className="graph-empty muted">Search a node (or run a Cypher query) and add it: it is drawn here. Double-click a node to expand it.</p>
          )}
          <CanvasBoundary>
            <Suspense fallback={<p className="muted">Loading the canvas…</p>}>
              <Canvas
                ref={canvas}
                model={model}
                selection={g.selection}
                focus={g.focus}
                onSelect={(s) => g.select(s)}
                onExpand={(key) => void g.expand(tenant, [key], expandForm)}
              />
            </Suspense>
          </CanvasBoundary>
        </div>
        {resultView === "table" && g.cypher && (
          <div className="graph-table" data-testid="graph-cypher-table-view">
            <p className="graph-small">
              <strong>{g.cypher.rows.length.toLocaleString("en-US")} rows</strong> <span className="muted">ran in {g.cypher.scope}</span>
              {g.cypher.more && <span className="tag tag-warn">more rows exist</span>}
            </p>
            <QueryResultGrid result={g.cypher} scrollKey={String(g.answer?.elapsedMs ?? 0)} testId="graph-cypher-table" label="Cypher answer" className="console-grid" />
          </div>
        )}
      </div>

      <aside className="graph-inspector" data-testid="graph-inspector" aria-label="Inspector">
        {selectedNode ? (
          <NodeInspector
            key={selectedNode.key}
            node={selectedNode}
            supernode={model.supernodes.get(selectedNode.key) ?? null}
            busy={busy}
            links={links}
            onExpand={() => void g.expand(tenant, [selectedNode.key], expandForm)}
            onPage={(skip) => void g.nextPage(tenant, selectedNode.key, skip, expandForm)}
            onPathFrom={() => setPathForm((f) => ({ ...f, from: selectedNode.id ?? "" }))}
            onPathTo={() => setPathForm((f) => ({ ...f, to: selectedNode.id ?? "" }))}
          />
        ) : selectedEdge ? (
          <EdgeInspector
            edge={selectedEdge}
            source={model.nodes.get(selectedEdge.source)}
            target={model.nodes.get(selectedEdge.target)}
            onSelectNode={selectNode}
          />
        ) : (
          <p className="muted graph-small">Click a node or a relationship to inspect it.</p>
        )}
      </aside>
    </div>
  );
}
