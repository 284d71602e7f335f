import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../../backend/mock";
import { mockCacheKeys } from "../../backend/mockCacheKeyspace";
import { formatBytes } from "../../lib/format";
import { fixtures, renderWithBackend } from "../../test/render";
import { CacheScreen } from "./CacheScreen";

const WAIT = { timeout: 5_000 };
const [acme, globex] = mockTenants(2);

type User = ReturnType<typeof renderWithBackend>["user"];

const byAttr = (testId: string, name: string, value: string) =>
  screen.queryAllByTestId(testId).find((el) => el.getAttribute(name) === value) ?? null;
const folder = (prefix: string) => byAttr("cache-folder", "data-prefix", prefix);
const memoryOf = (prefix: string) => within(folder(prefix)!).getByTestId("cache-folder-memory");

async function scan(user: User, tenant: string) {
  await user.type(screen.getByTestId("cache-scan-tenant"), tenant);
  await user.click(screen.getByTestId("cache-scan-button"));
  await screen.findByTestId("cache-tree", {}, WAIT);
}

describe("CacheScreen: memory", () => {
  it("shows each folder's memory, exact when every key was sized", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user, "globex");
    const p = `tenant:${globex!.id}:`;
    const atoms = memoryOf(`${p}atom:`);
    expect(atoms).toHaveAttribute("data-estimated", "false");
    expect(atoms.textContent).toBe(formatBytes(atoms.getAttribute("data-bytes")!));
    expect(atoms.textContent).toMatch(/^\d+(\.\d)? KiB$/);
    expect(memoryOf("").textContent).not.toMatch(/^~/);
    expect(screen.getByTestId("cache-scan-memory")).toHaveTextContent(/in memory \(every key sized\)/);
  });

  it("marks an estimate with ~ for a key gone since SCAN and for a sampled scan", async () => {
    const first = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(first.user, "acme");
    const p = `tenant:${acme!.id}:`;
    // The gone key counts as a key, not as a sample: its folder and those above are estimates.
    await waitFor(() => expect(folder(`${p}lock:`)).not.toBeNull(), WAIT);
    // None of its keys was sized: no estimate at all.
    expect(memoryOf(`${p}lock:`)).toHaveAttribute("data-bytes", "");
    expect(memoryOf(`${p}lock:`).textContent).toBe("—");
    expect(memoryOf(p).textContent).toMatch(/^~\d/);
    expect(memoryOf(`${p}atom:`)).toHaveAttribute("data-estimated", "false");
    first.unmount();

    const sampled = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), cacheMemorySampleEvery: 3 } });
    await scan(sampled.user, "globex");
    const g = `tenant:${globex!.id}:`;
    await waitFor(() => expect(folder(`${g}atom:`)).not.toBeNull(), WAIT);
    const sized = screen.getAllByTestId("cache-folder-memory").filter((m) => m.getAttribute("data-bytes") !== "");
    expect(sized.length).toBeGreaterThan(2);
    for (const m of sized) expect(m.textContent).toMatch(/^~\d/);
    expect(screen.getByTestId("cache-scan-memory")).toHaveTextContent("1 key in 3 sized");
    expect(within(screen.getByTestId("cache-big-keys")).getByRole("heading")).toHaveTextContent("of the sampled (1 in 3)");
  });

  it("lists the biggest keys, largest first, and opens one in the value viewer with its memory", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user, "acme");
    const big = screen.getAllByTestId("cache-big-key");
    expect(big.length).toBeGreaterThan(5);
    const sizes = big.map((b) => Number(b.getAttribute("data-bytes")));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // The 300 KB string is the biggest.
    const export_ = mockCacheKeys.big(acme!);
    expect(big[0]).toHaveAttribute("data-key", export_);
    expect(big[0]).toHaveTextContent(formatBytes(String(sizes[0])));
    // Listed after the folder they all share.
    expect(screen.getByTestId("cache-big-keys-under")).toHaveTextContent(`under tenant:${acme!.id}:`);
    expect(big[0]!.textContent).toMatch(/^export:last/);

    await user.click(big[0]!);
    expect(await screen.findByTestId("cache-value-key", {}, WAIT)).toHaveTextContent(export_);
    expect(backend.callsOf("cacheValue").at(-1)).toEqual(["alpha", { key: { text: export_ }, after: null, limit: 100 }]);
    const memory = await screen.findByTestId("cache-value-memory", {}, WAIT);
    expect(memory).toHaveAttribute("data-bytes", String(sizes[0]));
    expect(memory).toHaveTextContent("293 KiB");
    expect(big[0]).toHaveAttribute("aria-pressed", "true");

    // Another opens in its place.
    const second = big[1]!.getAttribute("data-key")!;
    await user.click(big[1]!);
    await waitFor(() => expect(screen.getByTestId("cache-value-key")).toHaveTextContent(second), WAIT);
    expect(big[1]).toHaveAttribute("aria-pressed", "true");
    expect(big[0]).toHaveAttribute("aria-pressed", "false");
  });

  it("asks a key's memory with its first page only", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" valuePageSize={5} />);
    await scan(user, "acme");
    const p = `tenant:${acme!.id}:`;
    await user.click(folder(`${p}updates:`)!);
    await user.click((await screen.findAllByTestId("cache-key-row", {}, WAIT))[0]!);
    const memory = await screen.findByTestId("cache-value-memory", {}, WAIT);
    const bytes = memory.getAttribute("data-bytes");
    await user.click(screen.getByTestId("cache-value-more"));
    await waitFor(() => expect(screen.getByTestId("cache-value-shown")).toHaveTextContent("10 elements shown"), WAIT);
    expect(screen.getByTestId("cache-value-memory")).toHaveAttribute("data-bytes", bytes);
  });
});
