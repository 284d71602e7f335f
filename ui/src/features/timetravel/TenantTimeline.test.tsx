import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fixtures, renderWithBackend } from "../../test/render";
import { createMockBackend } from "../../backend/mock";
import { mockUuid } from "../../backend/mockIds";
import { MOCK_HISTORY_ATOM_ID } from "../../backend/mockTimeTravel";
import { TimeTravelScreen } from "./TimeTravelScreen";

const WAIT = { timeout: 5_000 };
const UPLOAD = mockUuid(`${MOCK_HISTORY_ATOM_ID}/correlation/upload-1`);
const eventId = (k: number) => mockUuid(`${MOCK_HISTORY_ATOM_ID}/event/${k}`);

type User = ReturnType<typeof renderWithBackend>["user"];

const rows = () => within(screen.getByTestId("tt-tenant-events")).queryAllByTestId("tt-tenant-event");

async function openTenantMode(user: User) {
  await user.click(screen.getByTestId("tt-mode-tenant"));
  expect(screen.getByTestId("tt-mode-tenant")).toHaveAttribute("aria-selected", "true");
}

async function fill(user: User, testId: string, value: string) {
  await user.clear(screen.getByTestId(testId));
  await user.type(screen.getByTestId(testId), value);
}

describe("TimeTravelScreen: tenant timeline", () => {
  it("searches a tenant's events with filters and pages over nextAfter", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" timelinePageSize={5} />);
    await openTenantMode(user);
    await fill(user, "tt-timeline-tenant", "acme");
    await fill(user, "tt-filter-aggregate-type", "atom");
    await fill(user, "tt-filter-event-type", "AtomUpdated");
    await fill(user, "tt-filter-actor", "u-jonas");
    await user.click(screen.getByTestId("tt-timeline-search"));

    await waitFor(() => expect(rows()).toHaveLength(5), WAIT);
    const [first] = backend.callsOf("tenantEvents");
    expect(first).toEqual([
      "alpha",
      "acme",
      {
        aggregateType: "atom",
        aggregateId: null,
        eventType: "AtomUpdated",
        actor: "u-jonas",
        correlation: null,
        causation: null,
        eventId: null,
        after: null,
        limit: 5,
      },
    ]);
    for (const row of rows()) {
      expect(row).toHaveTextContent("AtomUpdated");
      expect(row).toHaveTextContent("u-jonas");
      expect(row).toHaveAttribute("data-aggregate");
    }

    // The same pages straight from the backend, to check order and the cursor.
    const direct = createMockBackend(fixtures());
    const filter = { ...(first![2] as object), after: null, limit: 5 } as Parameters<typeof direct.tenantEvents>[2];
    const page1 = await direct.tenantEvents("alpha", "acme", filter);
    expect(page1.nextAfter).not.toBeNull();
    const page2 = await direct.tenantEvents("alpha", "acme", { ...filter, after: page1.nextAfter });

    await user.click(screen.getByTestId("tt-tenant-more"));
    await waitFor(() => expect(rows()).toHaveLength(10), WAIT);
    expect(backend.callsOf("tenantEvents")[1]![2]).toMatchObject({ actor: "u-jonas", after: page1.nextAfter, limit: 5 });
    expect(rows().map((r) => r.getAttribute("data-event"))).toEqual(
      [...page1.events, ...page2.events].map((e) => e.event.id),
    );
    const times = [...page1.events, ...page2.events].map((e) => Date.parse(e.event.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("follows a causation to the cause, and shows a selected event's payload", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await openTenantMode(user);
    await fill(user, "tt-timeline-tenant", "acme");
    await fill(user, "tt-filter-correlation", UPLOAD);
    await user.click(screen.getByTestId("tt-timeline-search"));
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
    expect(rows().map((r) => r.getAttribute("data-event"))).toEqual([eventId(0), eventId(1)]);
    expect(screen.queryByTestId("tt-tenant-more")).not.toBeInTheDocument();

    await user.click(rows()[0]!);
    expect(screen.getByTestId("tt-tenant-payload")).toHaveAttribute("data-json", "true");
    expect(screen.getByTestId("tt-tenant-payload")).toHaveTextContent("photosynthesis-definition");

    // Event 1 was caused by event 0: its causation link shows the cause alone.
    await user.click(within(rows()[1]!).getByTestId("tt-row-causation"));
    expect(screen.getByTestId("tt-filter-event")).toHaveValue(eventId(0));
    expect(screen.getByTestId("tt-filter-correlation")).toHaveValue("");
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);
    expect(rows()[0]).toHaveAttribute("data-event", eventId(0));
    expect(backend.callsOf("tenantEvents").at(-1)![2]).toMatchObject({ eventId: eventId(0), correlation: null });

    // And back down the chain: the events event 0 caused.
    await user.click(within(rows()[0]!).getByTestId("tt-row-caused"));
    expect(screen.getByTestId("tt-filter-causation")).toHaveValue(eventId(0));
    await waitFor(() => expect(rows().map((r) => r.getAttribute("data-event"))).toEqual([eventId(1)]), WAIT);

    // A correlation link filters by it.
    await user.click(within(rows()[0]!).getByTestId("tt-row-correlation"));
    expect(screen.getByTestId("tt-filter-correlation")).toHaveValue(UPLOAD);
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
  });

  it("shows a failed search with its code", async () => {
    const { user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await openTenantMode(user);
    await fill(user, "tt-timeline-tenant", "no-such-tenant");
    await user.click(screen.getByTestId("tt-timeline-search"));
    expect(await screen.findByTestId("tt-tenant-error", {}, WAIT)).toHaveAttribute("data-code", "not_found");
  });

  it("opens a row's aggregate in the aggregate mode, with its tenant", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />);
    await openTenantMode(user);
    await fill(user, "tt-timeline-tenant", "acme");
    await fill(user, "tt-filter-correlation", UPLOAD);
    await user.click(screen.getByTestId("tt-timeline-search"));
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
    expect(rows()[0]).toHaveAttribute("data-aggregate", MOCK_HISTORY_ATOM_ID);

    await user.click(within(rows()[0]!).getByTestId("tt-row-aggregate"));
    expect(screen.getByTestId("tt-mode-aggregate")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("tt-aggregate")).toHaveValue(MOCK_HISTORY_ATOM_ID);
    expect(screen.getByTestId("tt-tenant")).toHaveValue("acme");
    await waitFor(() => expect(within(screen.getByTestId("tt-timeline")).getAllByTestId("tt-step")).toHaveLength(30), WAIT);
    expect(backend.callsOf("eventHistory")).toEqual([["alpha", MOCK_HISTORY_ATOM_ID, "acme", 0, 5_000]]);

    // Back in the tenant mode, the search is still there.
    await user.click(screen.getByTestId("tt-mode-tenant"));
    expect(rows()).toHaveLength(2);
  });
});

describe("TimeTravelScreen: tenant state at a time", () => {
  it("reconstructs the tenant: progress, then the result", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />, {
      mock: { ...fixtures(), tenantStateDelayMs: 30 },
    });
    await openTenantMode(user);
    expect((screen.getByTestId("tt-state-at") as HTMLInputElement).value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(screen.getByTestId("tt-state-run")).toBeDisabled();
    await fill(user, "tt-timeline-tenant", "acme");
    await fill(user, "tt-state-at", "2025-04-01T00:00:00Z");
    await waitFor(() => expect(within(screen.getByTestId("tt-state-type")).getAllByRole("option")).toHaveLength(5));
    await user.selectOptions(screen.getByTestId("tt-state-type"), "atom");
    await user.click(screen.getByTestId("tt-state-run"));

    expect(await screen.findByTestId("tt-state-progress")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("tt-state-progress-events")).not.toHaveTextContent(/^0$/), WAIT);
    expect(screen.getByTestId("tt-state-run")).toBeDisabled();

    const result = await screen.findByTestId("tt-state-result", {}, WAIT);
    expect(screen.queryByTestId("tt-state-progress")).not.toBeInTheDocument();
    const [call] = backend.callsOf("tenantState");
    expect(call!.slice(0, 5)).toEqual(["alpha", "acme", "2025-04-01T00:00:00Z", "atom", null]);
    expect(within(result).getByTestId("tt-state-path")).toHaveTextContent(/acme-state-.*\.jsonl$/);
    expect(within(result).getByTestId("tt-state-result-at")).toHaveTextContent("2025-04-01T00:00:00.000Z");
    const aggregates = Number(within(result).getByTestId("tt-state-aggregates").textContent!.replace(/,/g, ""));
    const live = Number(within(result).getByTestId("tt-state-live").textContent!.replace(/,/g, ""));
    expect(aggregates).toBeGreaterThan(0);
    expect(live).toBeLessThanOrEqual(aggregates);
    expect(within(result).getByTestId("tt-state-events")).toHaveTextContent(/^[\d,]+$/);
    expect(within(result).getByTestId("tt-state-bytes")).toHaveTextContent(/B$/);
    expect(within(result).getByTestId("tt-state-copy-path")).toBeInTheDocument();
    expect(backend.runningTasks()).toEqual([]);
  });

  it("cancels a reconstruction: cancelTask with its task id, then the cancelled state", async () => {
    const { backend, user } = renderWithBackend(<TimeTravelScreen connection="alpha" />, {
      mock: { ...fixtures(), tenantStateDelayMs: 5_000 },
    });
    await openTenantMode(user);
    await fill(user, "tt-timeline-tenant", "acme");
    await user.click(screen.getByTestId("tt-state-run"));
    expect(await screen.findByTestId("tt-state-progress")).toBeInTheDocument();
    await waitFor(() => expect(backend.runningTasks()).toHaveLength(1));
    const taskId = backend.callsOf("tenantState")[0]![5];

    await user.click(screen.getByTestId("tt-state-cancel"));
    expect(backend.callsOf("cancelTask")).toEqual([[taskId]]);
    expect(await screen.findByTestId("tt-state-error", {}, WAIT)).toHaveAttribute("data-code", "cancelled");
    expect(screen.getByTestId("tt-state-error")).toHaveTextContent("no file was written");
    expect(screen.queryByTestId("tt-state-result")).not.toBeInTheDocument();
    expect(screen.queryByTestId("tt-state-progress")).not.toBeInTheDocument();
    expect(backend.runningTasks()).toEqual([]);
  });
});
