import { screen, waitFor, within } from "@testing-library/react";
import { useImperativeHandle } from "react";
import { describe, expect, it, vi } from "vitest";
import { mockTenants } from "../../backend/mock";
import { mockGraphId } from "../../backend/mockGraphData";
import { fixtures, renderWithBackend } from "../../test/render";
import type { GraphCanvasProps } from "./canvas/types";
import { GraphScreen } from "./GraphScreen";
import { pathMembers } from "./model/graphModel";
import type { NodeLinks } from "./panels/NodeInspector";

const [acme, globex] = mockTenants(2);
const TAX = mockGraphId("globex", "Atom", "tax-limit-0");
const GST = mockGraphId("globex", "Molecule", "gst-policy-rule-1");
const HUB = mockGraphId("acme", "Atom", "retention-window-0");
const REFUND = mockGraphId("globex", "Molecule", "refund-exemption-rule-0");

/** PNG's signature, as the fake canvas draws it. */
const PNG_BYTES = [0x89, 0x50, 0x4e, 0x47];

/** The canvas as a list (jsdom has no WebGL): a click selects a node, a double-click expands it. */
function FakeCanvas({ model, onSelect, onExpand, ref }: GraphCanvasProps) {
  useImperativeHandle(ref, () => ({ toPng: async () => new Blob([new Uint8Array(PNG_BYTES)], { type: "image/png" }) }), []);
  const path = pathMembers(model);
  return (
    <ul data-testid="fake-canvas">
      {[...model.nodes.values()].map((n) => (
        <li key={n.key}>
          <button
            type="button"
            data-testid="fake-node"
            data-key={n.key}
            data-id={n.id ?? ""}
            data-on-path={String(path.nodes.has(n.key))}
            onClick={() => onSelect({ kind: "node", key: n.key })}
            onDoubleClick={() => onExpand(n.key)}
          >
            {n.caption}
          </button>
        </li>
      ))}
      {[...model.edges.values()].map((e) => (
        <li key={e.key} data-testid="fake-edge" data-key={e.key} data-on-path={String(path.edges.has(e.key))} />
      ))}
    </ul>
  );
}

type User = ReturnType<typeof renderWithBackend>["user"];

function renderScreen(links: NodeLinks = {}) {
  return renderWithBackend(<GraphScreen connection="alpha" canvas={FakeCanvas} {...links} />, { mock: fixtures() });
}

const counts = () => {
  const el = screen.getByTestId("graph-counts");
  return [Number(el.getAttribute("data-nodes")), Number(el.getAttribute("data-edges"))];
};
const drawnIds = () => screen.queryAllByTestId("fake-node").map((b) => b.getAttribute("data-id"));
const drawnNode = (id: string) => screen.getAllByTestId("fake-node").find((b) => b.getAttribute("data-id") === id)!;

/** Tenant, search, and a click on the hit with this id: it is drawn and selected. */
async function addByName(user: User, tenant: string, text: string, id: string) {
  await user.type(screen.getByTestId("graph-tenant"), tenant);
  await user.type(screen.getByTestId("graph-search-input"), text);
  await user.click(screen.getByTestId("graph-search-button"));
  const hit = await waitFor(() => {
    const h = screen.getAllByTestId("graph-hit").find((b) => b.getAttribute("data-id") === id);
    expect(h).toBeDefined();
    return h!;
  });
  await user.click(hit);
  await waitFor(() => expect(screen.getByTestId("graph-inspector-node")).toHaveAttribute("data-id", id));
}

describe("GraphScreen", () => {
  it("searches a tenant's nodes and adds a hit to the canvas", async () => {
    const { user, backend } = renderScreen();
    await user.type(screen.getByTestId("graph-tenant"), "globex");
    await user.type(screen.getByTestId("graph-search-input"), "tax-limit");
    await user.click(screen.getByTestId("graph-search-button"));
    const hits = await screen.findAllByTestId("graph-hit");
    expect(hits.map((h) => h.textContent)).toEqual([expect.stringContaining("tax-limit-0"), expect.stringContaining("tax-limit-1")]);
    expect(backend.callsOf("graphSearch")).toEqual([["alpha", { tenant: "globex", text: "tax-limit", label: null, limit: 50 }]]);
    expect(counts()).toEqual([0, 0]);

    await user.click(hits[0]!);
    expect(drawnIds()).toEqual([TAX]);
    expect(counts()).toEqual([1, 0]);
    const inspector = screen.getByTestId("graph-inspector-node");
    expect(inspector).toHaveAttribute("data-foreign", "false");
    expect(within(inspector).getByTestId("graph-inspector-id")).toHaveTextContent(TAX);
    expect(within(inspector).getByTestId("graph-inspector-degree")).toHaveTextContent("2");
    expect(screen.getByTestId("graph-legend")).toHaveTextContent("Atom");
  });

  it("expands a node and merges the answer, each node once", async () => {
    const { user, backend } = renderScreen();
    await addByName(user, "globex", "tax-limit-0", TAX);
    await user.click(screen.getByTestId("graph-expand"));
    await waitFor(() => expect(counts()).toEqual([3, 2]));
    expect(backend.callsOf("graphExpand")[0]).toEqual([
      "alpha",
      {
        tenant: globex!.id,
        start: [{ id: TAX, label: "Atom" }],
        hops: 1,
        labels: [],
        types: [],
        direction: "both",
        limit: 500,
        skip: null,
        supernodeDegree: null,
      },
    ]);
    expect(screen.getByTestId("graph-notes")).toHaveTextContent("Expansion: 3 nodes, 2 relationships (2 and 2 new)");

    // Then the new nodes' neighbours: the atom is met again, not drawn twice.
    expect(screen.getByTestId("graph-expand-new")).toHaveTextContent("Expand the 2 new nodes");
    await user.click(screen.getByTestId("graph-expand-new"));
    await waitFor(() => expect(counts()[0]).toBeGreaterThan(3));
    const ids = drawnIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(backend.callsOf("graphExpand")[1]![1]).toMatchObject({ start: [expect.anything(), expect.anything()] });

    // A double-click on the canvas expands too, with the filters chosen.
    await user.click(screen.getByText(/^Relationship types:/));
    const partOf = screen.getAllByTestId("graph-filter-types-item").find((c) => c.getAttribute("data-value") === "PART_OF")!;
    await user.click(partOf);
    await user.dblClick(drawnNode(REFUND));
    await waitFor(() => expect(backend.callsOf("graphExpand")).toHaveLength(3));
    expect(backend.callsOf("graphExpand")[2]![1]).toMatchObject({ start: [{ id: REFUND, label: "Molecule" }], types: ["PART_OF"] });
  });

  it("shows a supernode's neighbour counts and pages through its neighbours", async () => {
    const { user, backend } = renderScreen();
    await addByName(user, "acme", "retention-window-0", HUB);
    await user.clear(screen.getByTestId("graph-expand-limit"));
    await user.type(screen.getByTestId("graph-expand-limit"), "100");
    await user.click(screen.getByTestId("graph-expand"));
    const block = await screen.findByTestId("graph-supernode");
    expect(block).toHaveAttribute("data-state", "more");
    expect(counts()[1]).toBe(100);
    const rows = within(block).getAllByTestId("graph-supernode-count").map((r) => r.textContent);
    expect(rows).toEqual(["REQUIRES ← Molecule251", "PART_OF → Molecule2"]);
    expect(within(block).getByTestId("graph-supernode-by-direction")).toHaveTextContent("incoming 251 · outgoing 2");
    expect(screen.getByTestId("graph-truncated")).toBeInTheDocument();

    await user.click(within(block).getByTestId("graph-next-page"));
    await waitFor(() => expect(counts()[1]).toBe(200));
    expect(backend.callsOf("graphExpand")[1]![1]).toMatchObject({ start: [{ id: HUB }], hops: 1, skip: 100, limit: 100 });
    await user.click(within(screen.getByTestId("graph-supernode")).getByTestId("graph-next-page"));
    await waitFor(() => expect(screen.getByTestId("graph-supernode")).toHaveAttribute("data-state", "done"));
    // Every molecule, and globex's molecule requiring it (another tenant's).
    expect(counts()).toEqual([252, 253]);
    expect(screen.queryByTestId("graph-next-page")).not.toBeInTheDocument();
    expect(screen.getByTestId("graph-breaches")).toHaveTextContent("gst-policy-rule-1");
  });

  it("finds a shortest path and highlights it", async () => {
    const { user, backend } = renderScreen();
    await addByName(user, "globex", "tax-limit-0", TAX);
    await user.click(screen.getByTestId("graph-path-from-here"));
    expect(screen.getByTestId("graph-path-from")).toHaveValue(TAX);
    await user.type(screen.getByTestId("graph-path-to"), GST);
    await user.click(screen.getByTestId("graph-path-run"));
    const result = await screen.findByTestId("graph-path-result");
    expect(result).toHaveAttribute("data-hops", "3");
    expect(within(result).getAllByTestId("graph-path-node").map((b) => b.textContent)).toEqual([
      "tax-limit-0",
      "refund-exemption-rule-0",
      "privacy-region-2",
      "gst-policy-rule-1",
    ]);
    expect(backend.callsOf("graphPath")[0]![1]).toEqual({
      tenant: globex!.id,
      from: { id: TAX, label: "Atom" },
      to: { id: GST, label: null },
      maxHops: 6,
      all: false,
    });
    expect(screen.getAllByTestId("fake-edge").filter((e) => e.getAttribute("data-on-path") === "true")).toHaveLength(3);
    expect(drawnNode(GST)).toHaveAttribute("data-on-path", "true");

    // No path: the note says so, and the highlight is gone.
    await user.clear(screen.getByTestId("graph-path-to"));
    await user.type(screen.getByTestId("graph-path-to"), mockGraphId("globex", "Atom", "orphan-limit-3"));
    await user.click(screen.getByTestId("graph-path-run"));
    await waitFor(() => expect(screen.getByTestId("graph-notes")).toHaveTextContent("no path of at most 6 relationships joins the two nodes"));
    expect(screen.queryByTestId("graph-path-result")).not.toBeInTheDocument();
  });

  it("lists isolation breaches and never expands another tenant's node", async () => {
    const { user, backend } = renderScreen();
    await addByName(user, "globex", "gst-policy", GST);
    await user.click(screen.getByTestId("graph-expand"));
    const notice = await screen.findByTestId("graph-breaches");
    expect(within(notice).getByTestId("graph-breach")).toHaveTextContent("gst-policy-rule-1 ─REQUIRES→ retention-window-0");
    expect(notice).toHaveTextContent(`${globex!.id} → ${acme!.id}`);
    const foreign = within(notice).getByTestId("graph-foreign-node");
    expect(foreign).toHaveAttribute("data-id", HUB);

    await user.click(foreign);
    const inspector = screen.getByTestId("graph-inspector-node");
    expect(inspector).toHaveAttribute("data-foreign", "true");
    expect(within(inspector).getByTestId("graph-inspector-foreign")).toHaveTextContent(acme!.id);
    expect(within(inspector).getByTestId("graph-expand")).toBeDisabled();
    expect(within(inspector).getByTestId("graph-expand-reason")).toHaveTextContent("never expand it");
    // Nor by a double-click on the canvas.
    await user.dblClick(drawnNode(HUB));
    expect(await screen.findByTestId("graph-error")).toHaveTextContent("Another tenant's node");
    expect(backend.callsOf("graphExpand")).toHaveLength(1);

    await user.click(within(notice).getByTestId("graph-breach"));
    expect(screen.getByTestId("graph-inspector-edge")).toHaveAttribute("data-breach", "true");
    expect(screen.getByTestId("graph-inspector-breach")).toBeInTheDocument();
  });

  it("shows a failure by its code", async () => {
    const { user, backend } = renderScreen();
    await user.type(screen.getByTestId("graph-tenant"), "no-such-tenant");
    await user.type(screen.getByTestId("graph-search-input"), "tax");
    await user.click(screen.getByTestId("graph-search-button"));
    expect(await screen.findByTestId("graph-error")).toHaveAttribute("data-code", "not_found");

    await user.clear(screen.getByTestId("graph-tenant"));
    await user.clear(screen.getByTestId("graph-search-input"));
    await addByName(user, "globex", "tax-limit-0", TAX);
    expect(screen.queryByTestId("graph-error")).not.toBeInTheDocument();
    backend.failNext("graphExpand", { code: "unavailable", message: "connection refused" });
    await user.click(screen.getByTestId("graph-expand"));
    const error = await screen.findByTestId("graph-error");
    expect(error).toHaveAttribute("data-code", "unavailable");
    expect(error).toHaveTextContent("Graph is down");
    expect(counts()).toEqual([1, 0]);

    // A form the screen cannot send is said before any call.
    await user.clear(screen.getByTestId("graph-expand-limit"));
    await user.type(screen.getByTestId("graph-expand-limit"), "0");
    await user.click(screen.getByTestId("graph-expand"));
    await waitFor(() => expect(screen.getByTestId("graph-error")).toHaveAttribute("data-code", "form"));
    expect(backend.callsOf("graphExpand")).toHaveLength(1);
  });

  it("draws a Cypher answer and shows it as a table too; clears the canvas", async () => {
    const { user, backend } = renderScreen();
    await user.type(screen.getByTestId("graph-tenant"), "globex");
    await user.click(screen.getByTestId("graph-mode-cypher"));
    await user.click(screen.getByTestId("graph-cypher-example"));
    await user.click(screen.getByTestId("graph-cypher-run"));
    await waitFor(() => expect(counts()).toEqual([10, 8]));
    expect(backend.callsOf("runConsole")[0]![1]).toMatchObject({ language: "cypher", tenant: "globex", maxRows: 1_000 });
    expect(screen.getByTestId("graph-breaches")).toBeInTheDocument();

    await user.click(screen.getByTestId("graph-result-view-table"));
    expect(screen.getByTestId("graph-canvas")).not.toBeVisible();
    expect(screen.getByTestId("graph-cypher-table")).toBeInTheDocument();
    await user.click(screen.getByTestId("graph-result-view-graph"));
    expect(screen.getByTestId("graph-canvas")).toBeVisible();

    await user.click(screen.getByTestId("graph-clear"));
    expect(counts()).toEqual([0, 0]);
    expect(screen.queryByTestId("graph-breaches")).not.toBeInTheDocument();
  });

  it("saves the canvas as PNG and as JSON through the backend", async () => {
    const { user, backend } = renderScreen();
    await addByName(user, "globex", "tax-limit-0", TAX);
    await user.click(screen.getByTestId("graph-export-png"));
    const saved = await screen.findByTestId("graph-export-saved");
    const [png] = backend.savedFiles();
    expect(png!.path).toMatch(new RegExp(`/graph-${globex!.id}-\\d{8}-\\d{6}-\\d{3}\\.png$`));
    expect([...png!.bytes]).toEqual(PNG_BYTES);
    expect(saved).toHaveTextContent(png!.path);

    await user.click(screen.getByTestId("graph-export-json"));
    await waitFor(() => expect(backend.savedFiles()).toHaveLength(2));
    const json = JSON.parse(new TextDecoder().decode(backend.savedFiles()[1]!.bytes));
    expect(json).toMatchObject({ tenant: globex!.id, nodes: [{ id: TAX }], edges: [], paths: [] });

    backend.failNext("saveFile", { code: "invalid_input", message: "it already exists" });
    await user.click(screen.getByTestId("graph-export-json"));
    expect(await screen.findByTestId("graph-export-failed")).toHaveAttribute("data-code", "invalid_input");
  });

  it("opens a node's events in Time travel", async () => {
    const onOpenTimeTravel = vi.fn();
    const { user } = renderScreen({ onOpenTimeTravel });
    await addByName(user, "globex", "tax-limit-0", TAX);
    await user.click(screen.getByTestId("graph-open-timetravel"));
    expect(onOpenTimeTravel).toHaveBeenCalledWith(TAX, globex!.id);
  });

  it("opens a node's row, events, cache keys and objects in Find", async () => {
    const onOpenFind = vi.fn();
    const { user } = renderScreen({ onOpenFind });
    await addByName(user, "globex", "tax-limit-0", TAX);
    await user.click(screen.getByTestId("graph-open-find"));
    expect(onOpenFind).toHaveBeenCalledWith(TAX, globex!.id);
  });
});

describe("GraphScreen without WebGL", () => {
  it("says the graph cannot be drawn, and the rest still works", async () => {
    // jsdom has no WebGL2: the default canvas never loads sigma.
    const { user } = renderWithBackend(<GraphScreen connection="alpha" />, { mock: fixtures() });
    expect(await screen.findByTestId("graph-no-webgl")).toBeInTheDocument();
    await addByName(user, "globex", "tax-limit-0", TAX);
    expect(counts()).toEqual([1, 0]);
  });
});
