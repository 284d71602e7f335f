import { act, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { MonitorBatch } from "../../backend";
import { mockTenants } from "../../backend/mock";
import { mockMonitorChannel, mockPubsub, mockStreamEntry } from "../../backend/mockCacheMonitor";
import { fixtures, renderWithBackend } from "../../test/render";
import { CacheScreen } from "./CacheScreen";

const WAIT = { timeout: 5_000 };
const [acme] = mockTenants(1);

type Rendered = ReturnType<typeof renderWithBackend>;

/** `n` messages of acme, pub/sub and stream in turn, numbered from `from`. */
const batch = (n: number, from = 0, dropped = 0): MonitorBatch => ({
  messages: Array.from({ length: n }, (_, k) => (k % 2 === 0 ? mockPubsub(acme!, from + k) : mockStreamEntry(acme!, from + k))),
  dropped,
});

const status = () => screen.getByTestId("cache-monitor-status");
const rows = () => screen.queryAllByTestId("cache-monitor-row");
const shown = () => Number(screen.getByTestId("cache-monitor-list").getAttribute("data-rows"));

/** Opens the Live tab and starts watching acme; resolves once it listens. */
async function startMonitor({ user }: Rendered) {
  await user.click(screen.getByTestId("cache-mode-live"));
  await user.type(await screen.findByTestId("cache-monitor-tenant", {}, WAIT), "acme");
  await user.click(screen.getByTestId("cache-monitor-start"));
  await waitFor(() => expect(status()).toHaveAttribute("data-state", "listening"), WAIT);
}

/** Sends a batch to the running monitor, as the backend would. */
async function emit(backend: Rendered["backend"], b: MonitorBatch) {
  await act(async () => {
    expect(backend.emitMonitor(b)).toBe(1);
  });
}

describe("CacheScreen: live monitor", () => {
  beforeEach(() => {
    // jsdom has no layout: a list 520 px high shows 20 rows.
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(520);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(900);
  });

  it("says it listens once the first (empty) batch arrives, then shows the scripted messages newest first", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), monitorDelayMs: 30 } });
    const { backend, user } = rendered;
    await user.click(screen.getByTestId("cache-mode-live"));
    // Loaded when first opened.
    expect(await screen.findByTestId("cache-monitor-start", {}, WAIT)).toBeDisabled();
    await user.type(screen.getByTestId("cache-monitor-tenant"), "acme");
    await user.click(screen.getByTestId("cache-monitor-start"));
    // Subscribing until the first batch.
    expect(status()).toHaveAttribute("data-state", "connecting");
    expect(screen.getByTestId("cache-monitor-stop")).toBeInTheDocument();
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "listening"), WAIT);
    expect(status()).toHaveTextContent("listening to acme");

    // 3 messages, a busy interval (200 and 57 left out), then 2 with a cut payload.
    await waitFor(() => expect(screen.getByTestId("cache-monitor-received")).toHaveTextContent("205"), WAIT);
    expect(screen.getByTestId("cache-monitor-left-out")).toHaveTextContent("57");
    expect(shown()).toBe(205);
    // Virtualized: only the rows in view are in the document, the newest first.
    expect(rows().length).toBeLessThan(205);
    expect(rows()[0]).toHaveAttribute("data-seq", "205");
    expect(rows()[0]).toHaveAttribute("data-source", "stream");
    const cut = rows().find((r) => r.getAttribute("data-seq") === "204")!;
    expect(cut).toHaveAttribute("data-source", "pubsub");
    // A long channel name shows by its end, whole in its title.
    const where = cut.querySelector(".cache-monitor-where")!;
    expect(where).toHaveAttribute("title", `channel ${mockMonitorChannel(acme!)}`);
    expect(where.textContent).toMatch(/^….*:updates$/);
    expect(cut.querySelector('[data-testid="cache-monitor-cut"]')).toHaveTextContent(/cut \(\d+(\.\d)? KiB\)/);
    expect(rows()[0]).toHaveTextContent(/^\d\d:\d\d:\d\d\.\d{3}stream\d+-0type=atom\.(created|updated)aggregate_id=/);

    const [call] = backend.callsOf("cacheMonitor");
    expect(call!.slice(0, 2)).toEqual(["alpha", "acme"]);
    expect(backend.runningTasks()).toEqual([call![2]]);
  });

  it("counts messages while paused without showing them, and appends them on resume", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), monitorScript: [] } });
    const { backend, user } = rendered;
    await startMonitor(rendered);
    expect(shown()).toBe(0);
    await emit(backend, batch(3));
    await waitFor(() => expect(shown()).toBe(3));

    await user.click(screen.getByTestId("cache-monitor-pause"));
    expect(screen.getByTestId("cache-monitor-pause")).toHaveAttribute("aria-pressed", "true");
    await emit(backend, batch(4, 3));
    await emit(backend, batch(4, 7, 2));
    expect(screen.getByTestId("cache-monitor-received")).toHaveTextContent("11");
    expect(screen.getByTestId("cache-monitor-left-out")).toHaveTextContent("2");
    expect(screen.getByTestId("cache-monitor-held")).toHaveTextContent("8 new messages held back");
    expect(shown()).toBe(3);
    expect(rows().map((r) => r.getAttribute("data-seq"))).toEqual(["3", "2", "1"]);

    await user.click(screen.getByTestId("cache-monitor-pause"));
    expect(screen.getByTestId("cache-monitor-pause")).toHaveAttribute("aria-pressed", "false");
    expect(shown()).toBe(11);
    expect(rows()[0]).toHaveAttribute("data-seq", "11");
    expect(screen.queryByTestId("cache-monitor-held")).not.toBeInTheDocument();
  });

  it("keeps only the last 1,000 messages, paused or not", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), monitorScript: [] } });
    const { backend, user } = rendered;
    await startMonitor(rendered);
    for (let b = 0; b < 6; b++) await emit(backend, batch(200, b * 200));
    expect(screen.getByTestId("cache-monitor-received")).toHaveTextContent("1,200");
    expect(shown()).toBe(1_000);
    expect(screen.getByTestId("cache-monitor-kept")).toHaveTextContent("1,000 shown (200 oldest dropped)");
    expect(rows()[0]).toHaveAttribute("data-seq", "1200");

    // Held back while paused, then appended subject to the bound.
    await user.click(screen.getByTestId("cache-monitor-pause"));
    await emit(backend, batch(150, 1_200));
    expect(shown()).toBe(1_000);
    expect(rows()[0]).toHaveAttribute("data-seq", "1200");
    await user.click(screen.getByTestId("cache-monitor-pause"));
    expect(shown()).toBe(1_000);
    expect(rows()[0]).toHaveAttribute("data-seq", "1350");
    expect(screen.getByTestId("cache-monitor-kept")).toHaveTextContent("1,000 shown (350 oldest dropped)");
  });

  it("stops with cancelTask, says what the backend heard, and can start again", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), monitorScript: [] } });
    const { backend, user } = rendered;
    await startMonitor(rendered);
    await emit(backend, batch(5, 0, 3));
    await waitFor(() => expect(shown()).toBe(5));
    const taskId = backend.callsOf("cacheMonitor")[0]![2];

    await user.click(screen.getByTestId("cache-monitor-stop"));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "stopped"), WAIT);
    expect(backend.callsOf("cancelTask")).toEqual([[taskId]]);
    expect(backend.runningTasks()).toEqual([]);
    expect(backend.emitMonitor(batch(1))).toBe(0);
    expect(screen.getByTestId("cache-monitor-summary")).toHaveTextContent(
      `Watched channel ${mockMonitorChannel(acme!)} and stream ${mockMonitorChannel(acme!)}:log`,
    );
    expect(screen.getByTestId("cache-monitor-summary")).toHaveTextContent("the backend heard 8 messages, left out 3");
    // The messages stay until the next start.
    expect(shown()).toBe(5);

    await user.click(screen.getByTestId("cache-monitor-start"));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "listening"), WAIT);
    expect(shown()).toBe(0);
    expect(screen.getByTestId("cache-monitor-received")).toHaveTextContent("0");
    expect(backend.callsOf("cacheMonitor")[1]![2]).not.toBe(taskId);
  });

  it("keeps running on another tab, and stops when the screen goes away", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), monitorScript: [] } });
    const { backend, user, unmount } = rendered;
    await startMonitor(rendered);
    await user.click(screen.getByTestId("cache-mode-browse"));
    await emit(backend, batch(2));
    await user.click(screen.getByTestId("cache-mode-live"));
    expect(shown()).toBe(2);
    unmount();
    await waitFor(() => expect(backend.runningTasks()).toEqual([]), WAIT);
  });

  it("words a failure by its code", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="alpha" />);
    const { backend, user } = rendered;
    backend.failNext("cacheMonitor", { code: "profile", message: "the profile's cache section names no pubsub_channel or update_stream" });
    await user.click(screen.getByTestId("cache-mode-live"));
    await user.type(await screen.findByTestId("cache-monitor-tenant", {}, WAIT), "acme");
    await user.click(screen.getByTestId("cache-monitor-start"));
    const error = await screen.findByTestId("cache-monitor-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "profile");
    expect(error).toHaveTextContent("The profile has no usable cache section");
    expect(status()).toHaveAttribute("data-state", "failed");
  });
});
