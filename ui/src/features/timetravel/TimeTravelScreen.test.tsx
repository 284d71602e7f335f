import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../../backend/mock";
import { MOCK_SHARED_ATOM_ID } from "../../backend/mockRows";
import { MOCK_ANOMALY_ATOM_ID, MOCK_HISTORY_ATOM_ID, MOCK_HOT_ATOM_ID } from "../../backend/mockTimeTravel";
import { renderWithBackend } from "../../test/render";
import { TimeTravelScreen } from "./TimeTravelScreen";

const globex = mockTenants().find((t) => t.slug === "globex")!;
const WAIT = { timeout: 5_000 };

type User = ReturnType<typeof renderWithBackend>["user"];

async function load(user: User, id: string, tenant?: string) {
  await user.clear(screen.getByTestId("tt-aggregate"));
  await user.type(screen.getByTestId("tt-aggregate"), id);
  await user.clear(screen.getByTestId("tt-tenant"));
  if (tenant) await user.type(screen.getByTestId("tt-tenant"), tenant);
  await user.click(screen.getByTestId("tt-load"));
}

const steps = () => within(screen.getByTestId("tt-timeline")).getAllByTestId("tt-step");
const stepAt = (index: number) => steps().find((s) => s.getAttribute("data-index") === String(index))!;
const detailIndex = () => screen.getByTestId("tt-detail").getAttribute("data-index");
const diffLines = () => within(screen.getByTestId("tt-step-diff")).queryAllByRole("listitem").map((li) => li.textContent);
const slide = (index: number) => fireEvent.change(screen.getByTestId("tt-slider"), { target: { value: String(index) } });

describe("TimeTravelScreen", () => {
  it("loads a history and shows its timeline, the last step selected", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, ` ${MOCK_HISTORY_ATOM_ID} `);

    await waitFor(() => expect(steps()).toHaveLength(30), WAIT);
    expect(backend.callsOf("eventHistory")).toEqual([["alpha", MOCK_HISTORY_ATOM_ID, null, 0, 5_000]]);
    expect(screen.getByTestId("tt-tenant-slug")).toHaveTextContent("acme");
    expect(screen.getByTestId("tt-total")).toHaveTextContent("30 events");
    expect(screen.getByTestId("tt-anomaly-count")).toHaveTextContent("no anomalies");
    expect(screen.getByTestId("tt-window")).toHaveTextContent("#0–#29 of 30 events");
    expect(screen.getByTestId("tt-load-earlier")).toBeDisabled();
    expect(screen.getByTestId("tt-load-later")).toBeDisabled();

    expect(steps().map((s) => s.getAttribute("data-kind")).filter((k) => k !== "update")).toEqual(["create", "delete", "create"]);
    expect(stepAt(18)).toHaveAttribute("data-kind", "delete");
    const first = stepAt(0);
    expect(first).toHaveTextContent("2025-03-03 09:14:00");
    expect(first).toHaveTextContent("48211");
    expect(first).toHaveTextContent("AtomCreated");
    expect(first).toHaveTextContent("u-maria");
    expect(first).toHaveTextContent("v1");
    expect(first).not.toHaveAttribute("data-anomaly");

    expect(stepAt(29)).toHaveAttribute("aria-selected", "true");
    expect(detailIndex()).toBe("29");
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"name": "photosynthesis-definition-v3"');
    expect(diffLines()).toEqual(['~ /name: "photosynthesis-definition-v2" → "photosynthesis-definition-v3"']);
    expect(screen.queryByTestId("tt-state-mismatch")).not.toBeInTheDocument();
  });

  it("moves through the steps by slider, buttons, arrows and clicks: state and step diff follow", async () => {
    const { user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_HISTORY_ATOM_ID);
    await waitFor(() => expect(steps()).toHaveLength(30), WAIT);
    const slider = screen.getByTestId("tt-slider");
    expect(slider).toHaveAttribute("min", "0");
    expect(slider).toHaveAttribute("max", "29");

    slide(8);
    expect(detailIndex()).toBe("8");
    expect(stepAt(8)).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"name": "photosynthesis-definition-v2"');
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"document": "intro-biology.pdf"');
    expect(diffLines()).toEqual(['~ /name: "photosynthesis-definition" → "photosynthesis-definition-v2"']);
    expect(screen.getByTestId("tt-payload")).toHaveTextContent('"name": "photosynthesis-definition-v2"');

    slide(9);
    expect(diffLines()).toEqual(['~ /source/kind: "upload" → "curated"', '- /source/document (was "intro-biology.pdf")']);
    expect(screen.getByTestId("tt-state")).not.toHaveTextContent("intro-biology.pdf");

    await user.click(screen.getByTestId("tt-step-back"));
    await user.click(screen.getByTestId("tt-step-back"));
    expect(detailIndex()).toBe("7");
    expect(diffLines()).toEqual(["~ /confidence: 0.7 → 0.81"]);
    await user.click(screen.getByTestId("tt-step-forward"));
    expect(detailIndex()).toBe("8");

    slider.focus();
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(detailIndex()).toBe("6");
    await user.keyboard("{Home}");
    expect(detailIndex()).toBe("0");
    expect(screen.getByTestId("tt-step-back")).toBeDisabled();
    expect(diffLines()[0]).toMatch(/^\+ state = \{"atom_type":"TextAtom",/);

    // A key that needs JSON pointer escapes.
    await user.click(stepAt(17));
    expect(diffLines()).toEqual(['+ /units~1scale = {"~raw":"mol/L"}']);
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"units/scale": { "~raw": "mol/L" }');

    // The delete leaves no state; the create after it starts over.
    await user.keyboard("{ArrowDown}");
    expect(detailIndex()).toBe("18");
    expect(screen.getByTestId("tt-state")).toHaveAttribute("data-empty", "true");
    expect(diffLines()[0]).toMatch(/^- state \(was \{"atom_type":"TextAtom",/);
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("tt-state")).not.toHaveTextContent("units/scale");
    expect(diffLines()[0]).toMatch(/^\+ state = /);
  });

  it("shows an anomaly in place, on its step, with its event id", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    const eventId = (await backend.eventHistory("alpha", MOCK_ANOMALY_ATOM_ID, "acme", 3, 1)).steps[0]!.event.id!;
    await load(user, MOCK_ANOMALY_ATOM_ID, "acme");
    await waitFor(() => expect(steps()).toHaveLength(8), WAIT);
    expect(screen.getByTestId("tt-anomaly-count")).toHaveTextContent("1 step with anomalies");

    expect(steps().filter((s) => s.getAttribute("data-anomaly") === "true").map((s) => s.getAttribute("data-index"))).toEqual(["3"]);
    const bad = stepAt(3);
    const anomaly = within(bad).getByTestId("tt-anomaly");
    expect(anomaly).toHaveAttribute("data-kind", "bad_payload");
    expect(anomaly).toHaveTextContent("Payload is not JSON");
    expect(anomaly).toHaveTextContent(/the payload is not JSON \(.*\); skipped/);
    expect(anomaly).toHaveTextContent(`event ${eventId}`);
    expect(bad).toHaveTextContent("skipped");
    expect(bad).toHaveTextContent("v3");

    await user.click(bad);
    expect(screen.getByTestId("tt-detail")).toHaveTextContent(`Event id${eventId}`);
    expect(screen.getByTestId("tt-payload")).toHaveAttribute("data-json", "false");
    expect(screen.getByTestId("tt-payload")).toHaveTextContent('{"confidence": 0.97, "tags": ["chemistry", "constants"');
    expect(screen.getByTestId("tt-payload-not-json")).toHaveTextContent("not JSON");
    expect(screen.getByTestId("tt-step-diff")).toHaveTextContent("No change: the event was skipped.");
    // The skipped step leaves the state as it was.
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"description": "Particles per mole."');
    expect(screen.getByTestId("tt-state")).not.toHaveTextContent("constants");
  });

  it("hints to fill the tenant when the id has events in several tenants", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_SHARED_ATOM_ID);
    const error = await screen.findByTestId("tt-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "invalid_input");
    expect(error).toHaveTextContent("acme, globex");
    expect(screen.getByTestId("tt-tenant-hint")).toHaveTextContent("fill in the tenant");
    expect(screen.queryByTestId("tt-compare")).not.toBeInTheDocument();

    await load(user, MOCK_SHARED_ATOM_ID, "globex");
    await waitFor(() => expect(screen.getByTestId("tt-tenant-slug")).toHaveTextContent("globex"), WAIT);
    expect(screen.queryByTestId("tt-error")).not.toBeInTheDocument();
    expect(screen.queryByTestId("tt-tenant-hint")).not.toBeInTheDocument();
    expect(backend.callsOf("eventHistory").at(-1)).toEqual(["alpha", MOCK_SHARED_ATOM_ID, "globex", 0, 5_000]);
  });

  it("shows other errors by their code, without the tenant hint", async () => {
    const { user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, "00000000-0000-4000-8000-000000000000", "acme");
    const error = await screen.findByTestId("tt-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "not_found");
    await load(user, "not-a-uuid", "acme");
    await waitFor(() => expect(screen.getByTestId("tt-error")).toHaveAttribute("data-code", "invalid_input"));
    expect(screen.queryByTestId("tt-tenant-hint")).not.toBeInTheDocument();
  });

  it("compares with the stores: the read model lags one event behind", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_HISTORY_ATOM_ID);
    const pg = await screen.findByTestId("tt-store-postgres", {}, WAIT);
    expect(backend.callsOf("compareStores")).toEqual([["alpha", MOCK_HISTORY_ATOM_ID, null]]);
    expect(pg).toHaveAttribute("data-verdict", "lag");
    expect(pg).toHaveAttribute("data-flagged", "true");
    expect(within(pg).getByTestId("tt-verdict")).toHaveTextContent(
      "lag: 1 event behind (reflects seq 53752 at 2025-03-26 05:13:39.746)",
    );
    expect(pg).toHaveTextContent('"public"."atoms"');
    expect(within(pg).getByTestId("tt-store-diff-postgres")).toHaveTextContent(
      '~ /name: "photosynthesis-definition-v3" → "photosynthesis-definition-v2"',
    );
    for (const store of ["graph", "redis"]) {
      expect(screen.getByTestId(`tt-store-${store}`)).toHaveAttribute("data-verdict", "in_sync");
      expect(screen.getByTestId(`tt-store-${store}`)).toHaveAttribute("data-flagged", "false");
      expect(within(screen.getByTestId(`tt-store-${store}`)).getByTestId("tt-verdict")).toHaveTextContent("in sync");
    }
    expect(screen.getByTestId("tt-compare")).toHaveTextContent("version 30 after 30 events");

    await load(user, MOCK_ANOMALY_ATOM_ID);
    await waitFor(() => expect(screen.getByTestId("tt-store-postgres")).toHaveAttribute("data-verdict", "in_sync"), WAIT);
    const verdicts = ["postgres", "graph", "redis"].map((s) => screen.getByTestId(`tt-store-${s}`).getAttribute("data-verdict"));
    expect(verdicts).toEqual(["in_sync", "in_sync", "in_sync"]);
  });

  it("diffs two points by sequence or time, and says why a point is refused", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_HISTORY_ATOM_ID);
    await waitFor(() => expect(steps()).toHaveLength(30), WAIT);

    await user.type(screen.getByTestId("tt-diff-from"), "48317");
    await user.type(screen.getByTestId("tt-diff-to"), "2025-03-07T12:00:00Z");
    await user.click(screen.getByTestId("tt-diff-run"));
    const result = await screen.findByTestId("tt-diff-result");
    expect(backend.callsOf("stateDiff")).toEqual([["alpha", MOCK_HISTORY_ATOM_ID, null, "48317", "2025-03-07T12:00:00Z"]]);
    expect(result).toHaveTextContent("sequence 48317");
    expect(result).toHaveTextContent("3 events of 30, version 3");
    expect(result).toHaveTextContent("2025-03-07T12:00:00.000Z");
    const lines = within(screen.getByTestId("tt-diff-changes")).getAllByRole("listitem").map((li) => li.textContent);
    expect(lines).toContain('~ /name: "photosynthesis-definition" → "photosynthesis-definition-v2"');
    expect(lines).toContain('- /source/document (was "intro-biology.pdf")');
    expect(lines).toContain('+ /review = {"status":"approved","by":"u-jonas"}');

    await user.clear(screen.getByTestId("tt-diff-to"));
    await user.type(screen.getByTestId("tt-diff-to"), "yesterday");
    await user.click(screen.getByTestId("tt-diff-run"));
    expect(await screen.findByTestId("tt-diff-error")).toHaveAttribute("data-code", "invalid_input");
    expect(screen.queryByTestId("tt-diff-result")).not.toBeInTheDocument();
  });

  it("filters the timeline by correlation id, and jumps to the causing event", async () => {
    const { user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_HISTORY_ATOM_ID);
    await waitFor(() => expect(steps()).toHaveLength(30), WAIT);
    slide(12);

    await user.click(screen.getByTestId("tt-correlation"));
    expect(screen.getByTestId("tt-filter")).toHaveTextContent("3 steps");
    expect(steps().map((s) => s.getAttribute("data-index"))).toEqual(["10", "11", "12"]);
    await user.click(screen.getByTestId("tt-step-back"));
    expect(detailIndex()).toBe("11");

    await user.click(screen.getByTestId("tt-causation"));
    expect(detailIndex()).toBe("10");
    expect(screen.getByTestId("tt-step-back")).toBeDisabled();
    expect(screen.getByTestId("tt-detail")).not.toHaveTextContent(/Causation[0-9a-f]/);

    await user.click(screen.getByTestId("tt-filter-clear"));
    expect(steps()).toHaveLength(30);

    // A cause outside the filter shows every step again.
    slide(19);
    await user.click(screen.getByTestId("tt-correlation"));
    await user.click(screen.getByTestId("tt-causation"));
    expect(detailIndex()).toBe("18");
    expect(screen.getByTestId("tt-filter")).toBeInTheDocument();
    slide(22);
    await user.click(screen.getByTestId("tt-correlation"));
    await user.click(screen.getByTestId("tt-causation"));
    expect(detailIndex()).toBe("21");
    expect(steps().map((s) => s.getAttribute("data-index"))).toEqual(["21", "22"]);
  });

  it("pages through a long history, rebuilding each page from the state before it", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" pageSize={10} />);
    await load(user, MOCK_HISTORY_ATOM_ID);
    await waitFor(() => expect(steps()).toHaveLength(10), WAIT);
    expect(screen.getByTestId("tt-window")).toHaveTextContent("#0–#9 of 30 events");
    expect(backend.callsOf("stateAt")).toEqual([]);

    await user.click(screen.getByTestId("tt-load-later"));
    await waitFor(() => expect(screen.getByTestId("tt-window")).toHaveTextContent("#10–#19 of 30 events"));
    // The page comes with the step before it, whose sequence gives the base state.
    expect(backend.callsOf("eventHistory").at(-1)).toEqual(["alpha", MOCK_HISTORY_ATOM_ID, null, 9, 11]);
    await waitFor(() => expect(backend.callsOf("stateAt")).toEqual([["alpha", MOCK_HISTORY_ATOM_ID, null, "49866"]]));
    expect(detailIndex()).toBe("10");
    await waitFor(() => expect(screen.getByTestId("tt-state")).toHaveTextContent('"status": "rejected"'));
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"kind": "curated"');
    expect(screen.getByTestId("tt-slider")).toHaveAttribute("min", "10");
    slide(18);
    expect(screen.getByTestId("tt-state")).toHaveAttribute("data-empty", "true");

    await user.click(screen.getByTestId("tt-load-later"));
    await waitFor(() => expect(screen.getByTestId("tt-window")).toHaveTextContent("#20–#29 of 30 events"));
    await waitFor(() => expect(screen.getByTestId("tt-state")).toHaveTextContent('"tags": [ "biology", "restored" ]'));
    expect(screen.getByTestId("tt-load-later")).toBeDisabled();
    slide(29);
    expect(screen.getByTestId("tt-state")).toHaveTextContent("photosynthesis-definition-v3");
    expect(screen.queryByTestId("tt-state-mismatch")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("tt-load-earlier"));
    await waitFor(() => expect(screen.getByTestId("tt-window")).toHaveTextContent("#10–#19 of 30 events"));
    expect(detailIndex()).toBe("19");
  });

  it("renders only the steps in view of a 5,000-step page", async () => {
    const { user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await load(user, MOCK_HOT_ATOM_ID);
    await waitFor(() => expect(screen.getByTestId("tt-window")).toHaveTextContent("#0–#4999 of 12,345 events"), WAIT);
    // jsdom has no layout: a virtualized list renders no row at all there.
    const timeline = screen.getByTestId("tt-timeline");
    expect(within(timeline).queryAllByTestId("tt-step").length).toBeLessThan(200);
    expect(timeline.querySelector(".tt-virtual")).toHaveStyle({ height: "150000px" });
    expect(screen.getByTestId("tt-slider")).toHaveAttribute("max", "4999");
    expect(screen.getByTestId("tt-state")).toHaveTextContent('"counter": 4999');
    expect(screen.getByTestId("tt-store-graph")).toHaveAttribute("data-verdict", "drift");
    expect(screen.getByTestId("tt-store-redis")).toHaveAttribute("data-verdict", "missing");
  });

  it("opens on an aggregate handed over by another screen", async () => {
    const { backend } = renderWithBackend(
      <TimeTravelScreen connection="alpha" initial={{ aggregateId: MOCK_SHARED_ATOM_ID, tenant: globex.id }} />,
    );
    expect(screen.getByTestId("tt-aggregate")).toHaveValue(MOCK_SHARED_ATOM_ID);
    expect(screen.getByTestId("tt-tenant")).toHaveValue(globex.id);
    await waitFor(() => expect(screen.getByTestId("tt-tenant-slug")).toHaveTextContent("globex"), WAIT);
    expect(backend.callsOf("eventHistory")).toEqual([["alpha", MOCK_SHARED_ATOM_ID, globex.id, 0, 5_000]]);
    // Globex's copy never reached the graph.
    expect(await screen.findByTestId("tt-store-graph")).toHaveAttribute("data-verdict", "missing");
  });

  it("needs a connection and an id", () => {
    renderWithBackend(<TimeTravelScreen connection={null} />);
    expect(screen.getByTestId("tt-aggregate")).toBeDisabled();
    expect(screen.getByTestId("tt-load")).toBeDisabled();
    expect(screen.getByText("Choose a connection first.")).toBeInTheDocument();
  });
});
