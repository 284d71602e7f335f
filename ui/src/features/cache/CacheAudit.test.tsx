import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../../backend/mock";
import { mockCacheKeys } from "../../backend/mockCacheKeyspace";
import { fixtures, renderWithBackend } from "../../test/render";
import { CacheScreen } from "./CacheScreen";

const WAIT = { timeout: 5_000 };
const [, globex] = mockTenants(2);

type User = ReturnType<typeof renderWithBackend>["user"];

async function audit(user: User, tenant: string) {
  await user.click(screen.getByTestId("cache-mode-audit"));
  await user.type(screen.getByTestId("cache-audit-tenant"), tenant);
  await user.click(screen.getByTestId("cache-audit-button"));
}

describe("CacheScreen: audit", () => {
  it("audits a tenant with progress, groups the findings by severity, and opens a finding's key", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), cacheDelayMs: 10 } });
    await audit(user, "globex");
    expect(await screen.findByTestId("cache-audit-progress")).toBeInTheDocument();
    expect(screen.getByTestId("cache-audit-cancel")).toBeEnabled();
    await screen.findByTestId("cache-audit-result", {}, { timeout: 10_000 });
    expect(backend.callsOf("cacheAudit")[0]!.slice(0, 2)).toEqual(["alpha", "globex"]);

    // Most severe first: the stale entry is high, the orphan and the missing TTL medium.
    const groups = screen.getAllByTestId(/^cache-findings-/).map((g) => g.getAttribute("data-testid"));
    expect(groups).toEqual(["cache-findings-high", "cache-findings-medium"]);
    const kinds = (severity: string) =>
      within(screen.getByTestId(`cache-findings-${severity}`))
        .getAllByTestId("cache-finding")
        .map((f) => f.getAttribute("data-kind"));
    expect(kinds("high")).toEqual(["cache_stale"]);
    expect(kinds("medium").sort()).toEqual(["cache_missing_ttl", "cache_orphaned"]);

    const stale = within(screen.getByTestId("cache-findings-high")).getByTestId("cache-finding");
    const key = mockCacheKeys.atom(globex!, 0);
    expect(stale).toHaveTextContent("Stale cache entry");
    expect(stale).toHaveTextContent(`${key} differs from its row`);
    expect(stale).toHaveTextContent("Remedy: invalidate the cache key");
    const evidence = within(stale).getAllByTestId("cache-evidence");
    expect(evidence.map((e) => e.getAttribute("data-store"))).toEqual(["redis", "postgres"]);
    expect(evidence[0]).toHaveTextContent(key);
    expect(evidence[0]).toHaveTextContent('"title": "Atom 1 of globex (draft)"');
    expect(evidence[1]).toHaveTextContent('"title": "Atom 1 of globex"');
    expect(screen.getByTestId("cache-audit-summary")).toHaveTextContent("globex");

    // Clicking the finding opens its key in the browser's value viewer.
    await user.click(stale);
    expect(screen.getByTestId("cache-mode-browse")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("cache-audit-panel")).not.toBeVisible();
    const value = await screen.findByTestId("cache-value", {}, WAIT);
    expect(screen.getByTestId("cache-value-key")).toHaveTextContent(key);
    await waitFor(() => expect(value).toHaveAttribute("data-kind", "string"), WAIT);
    expect(screen.getByTestId("cache-value-json")).toHaveTextContent("(draft)");
    expect(backend.callsOf("cacheValue").at(-1)![1]).toMatchObject({ key: { text: key } });

    // The audit is still there when it is opened again.
    await user.click(screen.getByTestId("cache-mode-audit"));
    expect(screen.getAllByTestId("cache-finding")).toHaveLength(3);
  });

  it("opens a missing TTL's key from its button", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await audit(user, "globex");
    const missing = (await screen.findAllByTestId("cache-finding", {}, WAIT)).find((f) => f.getAttribute("data-kind") === "cache_missing_ttl")!;
    await user.click(within(missing).getByTestId("cache-finding-open"));
    expect(await screen.findByTestId("cache-value-ttl", {}, WAIT)).toHaveTextContent("no TTL");
    expect(screen.getByTestId("cache-value-key")).toHaveTextContent(mockCacheKeys.atom(globex!, 2));
  });

  it("says when a tenant's cache is clean, and names a failure by its code", async () => {
    const { user } = renderWithBackend(<CacheScreen connection="alpha" />);
    await audit(user, "acme");
    expect(await screen.findByTestId("cache-audit-clean", {}, WAIT)).toHaveTextContent("No findings");
    await user.clear(screen.getByTestId("cache-audit-tenant"));
    await user.type(screen.getByTestId("cache-audit-tenant"), "no-such-tenant");
    await user.click(screen.getByTestId("cache-audit-button"));
    const error = await screen.findByTestId("cache-audit-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "not_found");
  });

  it("cancels a running audit", async () => {
    const { backend, user } = renderWithBackend(<CacheScreen connection="alpha" />, { mock: { ...fixtures(), cacheDelayMs: 40 } });
    await audit(user, "globex");
    await user.click(await screen.findByTestId("cache-audit-cancel"));
    expect(await screen.findByTestId("cache-audit-cancelled", {}, WAIT)).toBeInTheDocument();
    expect(backend.runningTasks()).toEqual([]);
  });
});
