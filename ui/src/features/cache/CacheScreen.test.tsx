import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../../backend/mock";
import { mockCacheKeys, MOCK_BIG_VALUE_BYTES } from "../../backend/mockCacheKeyspace";
import { fixtures, renderWithBackend } from "../../test/render";
import { CacheScreen } from "./CacheScreen";
import { formatTtl } from "./format";

const WAIT = { timeout: 5_000 };
const [acme, globex] = mockTenants(2);
const prefixOf = (slug: string) => `tenant:${slug === "acme" ? acme!.id : globex!.id}:`;

type User = ReturnType<typeof renderWithBackend>["user"];

// By attribute value, not a selector: keys may hold backslashes and quotes.
const byAttr = (testId: string, name: string, value: string) =>
  screen.queryAllByTestId(testId).find((el) => el.getAttribute(name) === value) ?? null;
const folder = (prefix: string) => byAttr("cache-folder", "data-prefix", prefix);
const keyRow = (key: string) => byAttr("cache-key-row", "data-key", key);

async function scan(user: User, fields: { tenant?: string; count?: string } = {}) {
  if (fields.tenant) await user.type(screen.getByTestId("cache-scan-tenant"), fields.tenant);
  if (fields.count) {
    await user.clear(screen.getByTestId("cache-scan-count"));
    await user.type(screen.getByTestId("cache-scan-count"), fields.count);
  }
  await user.click(screen.getByTestId("cache-scan-button"));
  await screen.findByTestId("cache-tree", {}, WAIT);
}

/** Clicks folders from the top down to `prefix` (a click opens a folder, never closes it). */
async function openFolder(user: User, path: string[]) {
  for (const prefix of path) {
    await waitFor(() => expect(folder(prefix)).not.toBeNull(), WAIT);
    await user.click(folder(prefix)!);
  }
  await waitFor(() => expect(screen.getAllByTestId("cache-key-row").length).toBeGreaterThan(0), WAIT);
}

describe("CacheScreen: browse", () => {
  it("scans a tenant's keys with progress, and shows the tree with counts", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), cacheDelayMs: 15 } });
    await user.type(screen.getByTestId("cache-scan-tenant"), "globex");
    await user.clear(screen.getByTestId("cache-scan-count"));
    await user.type(screen.getByTestId("cache-scan-count"), "5");
    await user.click(screen.getByTestId("cache-scan-button"));
    expect(await screen.findByTestId("cache-scan-progress")).toBeInTheDocument();
    await waitFor(() => expect(Number(screen.getByTestId("cache-scan-progress-keys").textContent)).toBeGreaterThan(0), WAIT);
    expect(screen.getByTestId("cache-scan-button")).toBeDisabled();
    await screen.findByTestId("cache-tree", {}, WAIT);
    expect(screen.queryByTestId("cache-scan-progress")).not.toBeInTheDocument();

    const [call] = backend.callsOf("cacheScan");
    expect(call!.slice(0, 2)).toEqual(["alpha", { tenant: "globex", pattern: null, count: 5, pauseMs: 0, maxDepth: null, maxChildren: null }]);
    expect(call![2]).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByTestId("cache-scan-summary")).toHaveTextContent(`MATCH ${prefixOf("globex")}*`);

    // A tenant's scan opens straight down to the tenant's own folders.
    const p = prefixOf("globex");
    expect(folder("")).toHaveAttribute("aria-expanded", "true");
    expect(folder(p)).toHaveAttribute("aria-expanded", "true");
    expect(within(folder(`${p}atom:`)!).getByTestId("cache-folder-count")).toHaveTextContent("24 keys");
    expect(within(folder(`${p}session:`)!).getByTestId("cache-folder-count")).toHaveTextContent("3 keys");
    expect(folder(`${p}document:`)).toHaveAttribute("aria-expanded", "false");
    expect(folder(`${prefixOf("acme")}`)).toBeNull();
  });

  it("folds folders, drills into one, and shows a key's JSON and TTL", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user);
    expect(folder("tenant:")).toHaveAttribute("aria-expanded", "false");
    expect(within(folder("")!).getByTestId("cache-folder-count")).toHaveTextContent(/keys$/);

    const p = prefixOf("globex");
    await openFolder(user, ["tenant:", p, `${p}atom:`]);
    // The chevron folds without selecting.
    await user.click(within(folder("tenant:")!).getByTestId("cache-folder-toggle"));
    expect(folder(p)).toBeNull();
    expect(folder("tenant:")).toHaveAttribute("aria-expanded", "false");
    await user.click(within(folder("tenant:")!).getByTestId("cache-folder-toggle"));
    expect(folder(`${p}atom:`)).toHaveAttribute("aria-selected", "true");

    expect(backend.callsOf("cacheKeys").at(-1)).toEqual(["alpha", { prefix: { text: `${p}atom:` }, pattern: "*", after: null, limit: 200 }]);
    expect(screen.getAllByTestId("cache-key-row")).toHaveLength(24);
    const key = mockCacheKeys.atom(globex!, 3);
    expect(keyRow(key)).toHaveTextContent(key.slice(`${p}atom:`.length));
    await user.click(keyRow(key)!);

    const value = await screen.findByTestId("cache-value");
    await waitFor(() => expect(value).toHaveAttribute("data-kind", "string"), WAIT);
    expect(screen.getByTestId("cache-value-key")).toHaveTextContent(key);
    expect(JSON.parse(screen.getByTestId("cache-value-json").textContent!)).toMatchObject({ title: "Atom 4 of globex", version: 4 });
    expect(screen.getByTestId("cache-value-json").textContent).toContain('\n  "title"');
    const ttl = screen.getByTestId("cache-value-ttl");
    expect(ttl.textContent).toBe(formatTtl(ttl.getAttribute("data-ttl-ms")));
    expect(ttl.textContent).toMatch(/^\d+[dhm]( \d+[hms])?$/);
    expect(keyRow(key)).toHaveAttribute("aria-selected", "true");
    expect(within(keyRow(key)!).getByTestId("cache-key-ttl")).toHaveTextContent(ttl.textContent!);
  });

  it("narrows the key list to what the scan counted, and pages it with Load more", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" keyPageSize={10} />);
    await scan(user, { tenant: "acme" });
    // Above the tenant's folder, the list keeps to the tenant's keys.
    await openFolder(user, ["tenant:"]);
    expect(backend.callsOf("cacheKeys").at(-1)![1]).toMatchObject({ prefix: { text: "tenant:" }, pattern: `${acme!.id}:*` });
    const p = prefixOf("acme");
    await openFolder(user, [`${p}atom:`]);
    expect(screen.getAllByTestId("cache-key-row")).toHaveLength(10);
    await user.click(screen.getByTestId("cache-keys-more"));
    await waitFor(() => expect(screen.getAllByTestId("cache-key-row")).toHaveLength(20), WAIT);
    expect(backend.callsOf("cacheKeys").at(-1)![1]).toMatchObject({ after: "0:10", limit: 10 });
    expect(screen.getByTestId("cache-keys-count")).toHaveTextContent("20 keys listed");
  });

  it("says where a long string was cut", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user, { tenant: "acme" });
    const p = prefixOf("acme");
    await openFolder(user, [`${p}export:`]);
    await user.click(keyRow(mockCacheKeys.big(acme!))!);
    const cut = await screen.findByTestId("cache-value-cut", {}, WAIT);
    expect(cut).toHaveTextContent(`cut: first 262,144 bytes shown of ${MOCK_BIG_VALUE_BYTES.toLocaleString("en-US")}`);
    expect(screen.getByTestId("cache-value-text").textContent).toHaveLength(262_144);
    expect(screen.queryByTestId("cache-value-json")).not.toBeInTheDocument();
    expect(screen.getByTestId("cache-value-length")).toHaveTextContent("293 KiB");
  });

  it("marks a binary key and reads it by its bytes", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user, { tenant: "acme" });
    const binary = mockCacheKeys.binary(acme!);
    await openFolder(user, [`${prefixOf("acme")}blob:`]);
    const row = keyRow(binary.text)!;
    expect(row).toHaveAttribute("data-binary", "true");
    expect(within(row).getByTestId("cache-key-binary")).toHaveTextContent("binary");
    expect(row).toHaveTextContent("\\xff\\xfe\\x00k");
    await user.click(row);
    expect(await screen.findByTestId("cache-value-hex", {}, WAIT)).toHaveTextContent("00000000 8950 4e47 0d0a 1a0a 0000 000d 4948 4452");
    expect(screen.getByTestId("cache-value-binary")).toBeInTheDocument();
    // The key went back exactly as the backend named it, bytes included.
    expect(backend.callsOf("cacheValue").at(-1)).toEqual(["alpha", { key: binary, after: null, limit: 100 }]);
  });

  it("shows a hash's cut cell, a stream with its consumer groups, and pages a value", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" valuePageSize={5} />);
    await scan(user, { tenant: "acme" });
    const p = prefixOf("acme");
    // Keys in subfolders are listed too.
    await openFolder(user, [`${p}document:`]);
    await user.click(keyRow(mockCacheKeys.annotations(acme!))!);
    const hash = await screen.findByTestId("cache-value-hash", {}, WAIT);
    expect(within(hash).getAllByTestId("cache-value-hash-row")).toHaveLength(2);
    expect(within(hash).getByTestId("cache-cell-cut")).toHaveTextContent(/cut \(\d+(\.\d)? KiB in full\)/);
    expect(screen.getByTestId("cache-value-length")).toHaveTextContent("2 fields");

    await openFolder(user, [`${p}updates:`]);
    await user.click(keyRow(mockCacheKeys.stream(acme!))!);
    const stream = await screen.findByTestId("cache-value-stream", {}, WAIT);
    expect(within(stream).getAllByTestId("cache-value-stream-row")).toHaveLength(5);
    expect(within(screen.getByTestId("cache-value-groups")).getAllByTestId("cache-value-groups-row").map((r) => r.firstChild!.textContent)).toEqual([
      "indexer",
      "notifier",
    ]);
    await user.click(screen.getByTestId("cache-value-more"));
    await waitFor(() => expect(within(stream).getAllByTestId("cache-value-stream-row")).toHaveLength(10), WAIT);
    const [, request] = backend.callsOf("cacheValue").at(-1)!;
    expect(request).toMatchObject({ after: expect.stringMatching(/^\d+-0$/), limit: 5 });
    // The groups of the first page stay.
    expect(within(screen.getByTestId("cache-value-groups")).getAllByTestId("cache-value-groups-row")).toHaveLength(2);
    expect(screen.getByTestId("cache-value-shown")).toHaveTextContent("10 elements shown");
  });

  it("says a key gone since the scan no longer exists", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await scan(user, { tenant: "acme" });
    await openFolder(user, [`${prefixOf("acme")}lock:`]);
    const row = keyRow(mockCacheKeys.gone(acme!))!;
    expect(row).toHaveAttribute("data-kind", "none");
    await user.click(row);
    expect(await screen.findByTestId("cache-value-missing", {}, WAIT)).toHaveTextContent(
      "The key no longer exists (expired or deleted since the scan)",
    );
  });

  it("says Redis is unavailable by the error's code", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />);
    backend.failNext("cacheScan", { code: "unavailable", message: "redis 127.0.0.1:6379: connection refused" });
    await user.click(screen.getByTestId("cache-scan-button"));
    const error = await screen.findByTestId("cache-scan-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "unavailable");
    expect(error).toHaveTextContent("Redis is unavailable");
    expect(error).toHaveTextContent("connection refused");

    // The same wording for a key page that fails.
    await scan(user);
    backend.setHealth("alpha", "redis", { state: "down", error: { code: "unavailable", message: "gone away" } });
    await user.click(folder("")!);
    expect(await screen.findByTestId("cache-keys-error", {}, WAIT)).toHaveTextContent("Redis is unavailable");
  });

  it("cancels a running scan", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), cacheDelayMs: 40 } });
    await user.clear(screen.getByTestId("cache-scan-count"));
    await user.type(screen.getByTestId("cache-scan-count"), "2");
    await user.click(screen.getByTestId("cache-scan-button"));
    await user.click(await screen.findByTestId("cache-scan-cancel"));
    expect(await screen.findByTestId("cache-scan-cancelled", {}, WAIT)).toHaveTextContent("Scan cancelled.");
    expect(backend.runningTasks()).toEqual([]);
    expect(backend.callsOf("cancelTask")[0]).toEqual([backend.callsOf("cacheScan")[0]![2]]);
  });

  it("refuses a COUNT out of range before asking the backend", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await user.clear(screen.getByTestId("cache-scan-count"));
    await user.type(screen.getByTestId("cache-scan-count"), "0");
    expect(screen.getByTestId("cache-scan-invalid")).toHaveTextContent("COUNT is a whole number from 1 to 100,000");
    expect(screen.getByTestId("cache-scan-button")).toBeDisabled();
    expect(backend.callsOf("cacheScan")).toEqual([]);
  });
});
