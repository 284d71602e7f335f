// The graph screen's state and what changes it: the canvas model (answers merged into it), the
// search hits, the last Cypher answer, the selection, and the last answer's or failure's account.
import { useRef, useState } from "react";
import {
  toBackendError,
  useBackend,
  type BackendError,
  type ConsoleResult,
  type ExpandRequest,
  type GraphNode,
  type GraphView,
  type NodeRef,
} from "../../backend";
import type { Selection } from "./canvas/types";
import { expandability } from "./model/expandable";
import { clearModel, clearPaths, EMPTY_MODEL, mergeView, ownNodeById, type GraphModel } from "./model/graphModel";
import {
  buildExpandRequest,
  buildPathRequest,
  buildSearchRequest,
  type Built,
  type ExpandForm,
  type PathForm,
} from "./model/requests";

export type GraphAction = "search" | "add" | "expand" | "page" | "path" | "cypher";

/** What the last answer brought, for the notes line. */
export interface Answer {
  action: GraphAction;
  nodes: number;
  edges: number;
  addedNodes: number;
  addedEdges: number;
  truncated: boolean;
  notes: string[];
  elapsedMs: number;
  startedOver: boolean;
}

export interface Failure {
  action: GraphAction;
  error: BackendError | { invalid: string };
}

export function useGraphExplorer(connection: string) {
  const backend = useBackend();
  const [model, setModel] = useState<GraphModel>(EMPTY_MODEL);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [focus, setFocus] = useState<{ key: string; seq: number } | null>(null);
  const [hits, setHits] = useState<GraphView | null>(null);
  const [cypher, setCypher] = useState<ConsoleResult | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState<GraphAction | null>(null);
  /** The nodes the last expansion added: "expand the new nodes" starts from them. */
  const [frontier, setFrontier] = useState<string[]>([]);
  // The model as of the last merge, for merges that follow each other before a render.
  const current = useRef(model);
  current.current = model;
  const focusSeq = useRef(0);

  const focusOn = (key: string) => setFocus({ key, seq: ++focusSeq.current });

  function merge(action: GraphAction, view: GraphView, options: { from?: string[]; replacePaths?: boolean } = {}) {
    const result = mergeView(current.current, view, { ...options, arrivedAt: performance.now() });
    current.current = result.model;
    setModel(result.model);
    setAnswer({
      action,
      nodes: view.nodes.length,
      edges: view.edges.length,
      addedNodes: result.addedNodes,
      addedEdges: result.addedEdges,
      truncated: view.truncated,
      notes: view.notes,
      elapsedMs: view.elapsedMs,
      startedOver: result.startedOver,
    });
    if (result.startedOver) setSelection(null);
    const before = options.from ?? [];
    setFrontier(view.nodes.filter((n) => !n.foreign && !before.includes(n.key) && result.model.nodes.has(n.key)).map((n) => n.key));
    return result;
  }

  /** Runs a call once its request is valid; its failure (or the form's) is the one shown. */
  async function attempt<R, T>(action: GraphAction, built: Built<R>, call: (request: R) => Promise<T>): Promise<T | null> {
    if ("invalid" in built) {
      setFailure({ action, error: { invalid: built.invalid } });
      return null;
    }
    setPending(action);
    setFailure(null);
    try {
      return await call(built.request);
    } catch (e) {
      setFailure({ action, error: toBackendError(e) });
      return null;
    } finally {
      setPending(null);
    }
  }

  /** The tenant a traversal of drawn nodes runs in: the canvas's, else the field's. */
  const scope = (tenantField: string) => current.current.tenant ?? tenantField;

  async function search(tenant: string, text: string) {
    const view = await attempt("search", buildSearchRequest(tenant, text), (r) => backend.graphSearch(connection, r));
    if (view) setHits(view);
  }

  function addHit(node: GraphNode) {
    if (!hits) return;
    merge("add", { ...hits, nodes: [node], edges: [], paths: [], supernodes: [], notes: [], truncated: false });
    setSelection({ kind: "node", key: node.key });
    focusOn(node.key);
  }

  async function expand(tenant: string, keys: readonly string[], form: ExpandForm) {
    const refs: NodeRef[] = [];
    const from: string[] = [];
    let refused: string | null = null;
    for (const key of keys) {
      const node = current.current.nodes.get(key);
      const e = node && expandability(node);
      if (e?.ok) {
        refs.push(e.ref);
        from.push(key);
      } else if (e) refused = e.reason;
    }
    // Nothing expandable among them: why (e.g. a double-click on another tenant's node).
    const built: Built<ExpandRequest> = refs.length === 0 && refused ? { invalid: refused } : buildExpandRequest(scope(tenant), refs, form);
    const view = await attempt("expand", built, (r) => backend.graphExpand(connection, r));
    if (view) merge("expand", view, { from });
  }

  async function nextPage(tenant: string, key: string, skip: number, form: ExpandForm) {
    const node = current.current.nodes.get(key);
    const e = node && expandability(node);
    if (!e?.ok) return;
    const view = await attempt("page", buildExpandRequest(scope(tenant), [e.ref], form, skip), (r) => backend.graphExpand(connection, r));
    if (view) merge("page", view, { from: [key] });
  }

  async function findPath(tenant: string, form: PathForm) {
    const labelOf = (id: string) => ownNodeById(current.current, id)?.labels[0] ?? null;
    const view = await attempt("path", buildPathRequest(scope(tenant), form, labelOf), (r) => backend.graphPath(connection, r));
    if (view) merge("path", view, { replacePaths: true });
  }

  async function runCypher(tenant: string, text: string, maxRows: number) {
    const built: Built<string> =
      tenant.trim() === "" ? { invalid: "Name a tenant first" } : text.trim() === "" ? { invalid: "Type a Cypher query" } : { request: text };
    const result = await attempt("cypher", built, (t) =>
      backend.runConsole(connection, { language: "cypher", text: t, tenant: tenant.trim(), maxRows }),
    );
    if (!result) return;
    setCypher(result);
    if (result.graph) merge("cypher", result.graph);
    else setAnswer({ action: "cypher", nodes: 0, edges: 0, addedNodes: 0, addedEdges: 0, truncated: false, notes: ["The answer holds no nodes to draw."], elapsedMs: result.elapsedMs, startedOver: false });
  }

  function clear() {
    const next = clearModel(current.current);
    current.current = next;
    setModel(next);
    setSelection(null);
    setAnswer(null);
    setFailure(null);
    setFrontier([]);
  }

  function unhighlightPaths() {
    const next = clearPaths(current.current);
    current.current = next;
    setModel(next);
  }

  function select(s: Selection | null, center = false) {
    setSelection(s);
    if (center && s?.kind === "node") focusOn(s.key);
  }

  return {
    model,
    selection,
    focus,
    hits,
    cypher,
    answer,
    failure,
    pending,
    frontier,
    select,
    search,
    addHit,
    expand,
    nextPage,
    findPath,
    runCypher,
    clear,
    unhighlightPaths,
  };
}

export type GraphExplorer = ReturnType<typeof useGraphExplorer>;
