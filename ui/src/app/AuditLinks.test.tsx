import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../backend/mock";
import { MOCK_AUDIT_IDS } from "../backend/mockAudit";
import { renderWithBackend } from "../test/render";
import { App } from "./App";

// The audit's links, followed through the app's navigation into Cache, Time travel and Graph.

const WAIT = { timeout: 5_000 };

const findingOf = (kind: string) => screen.getAllByTestId("audit-finding").find((f) => f.getAttribute("data-kind") === kind)!;

async function runAudit(user: ReturnType<typeof renderWithBackend>["user"], tenant: string) {
  await user.type(screen.getByTestId("audit-tenant"), tenant);
  await user.click(screen.getByTestId("audit-run"));
}

// Whole-app tests click through several screens: slower than one screen's (more so on a busy machine).
const APP_TIMEOUT = 20_000;

describe("Audit in the app", () => {
  it("follows a finding's link into Cache and Time travel, and shows the report again on the way back", async () => {
    const { user } = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
    await user.click(screen.getByTestId("nav-audit"));
    await runAudit(user, "globex");
    await screen.findByTestId("audit-report", {}, WAIT);

    const stale = findingOf("cache_stale");
    await user.click(within(stale).getByTestId("audit-finding-toggle"));
    const key = within(stale).getByTestId("audit-finding-link").getAttribute("data-target")!;
    expect(key).toContain(stale.getAttribute("data-subject"));
    await user.click(within(stale).getByTestId("audit-finding-link"));
    expect(screen.getByTestId("nav-cache")).toHaveAttribute("aria-current", "page");
    expect(await screen.findByTestId("cache-value-key", {}, WAIT)).toHaveTextContent(key);

    // Back: the report is still there.
    await user.click(screen.getByTestId("nav-audit"));
    expect(await screen.findByTestId("audit-report", {}, WAIT)).toBeInTheDocument();
    expect(screen.getByTestId("audit-tenant")).toHaveValue("globex");

    const lag = findingOf("read_model_lag");
    await user.click(within(lag).getByTestId("audit-finding-toggle"));
    await user.click(within(lag).getByTestId("audit-finding-link"));
    expect(screen.getByTestId("nav-timetravel")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("tt-aggregate")).toHaveValue(MOCK_AUDIT_IDS.globexLag);
    expect(screen.getByTestId("tt-tenant")).toHaveValue("globex");
  }, APP_TIMEOUT);

  it("opens a graph finding's node in Graph, searched in the tenant", async () => {
    const { user } = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
    await user.click(screen.getByTestId("nav-audit"));
    await runAudit(user, "globex");
    await screen.findByTestId("audit-report", {}, WAIT);
    const orphan = findingOf("graph_node_without_row");
    await user.click(within(orphan).getByTestId("audit-finding-toggle"));
    await user.click(within(orphan).getByTestId("audit-finding-link"));
    expect(screen.getByTestId("nav-graph")).toHaveAttribute("aria-current", "page");
    const globex = mockTenants().find((t) => t.slug === "globex")!;
    expect(screen.getByTestId("graph-tenant")).toHaveValue("globex");
    expect(screen.getByTestId("graph-search-input")).toHaveValue(MOCK_AUDIT_IDS.globexOrphanNode(globex));
    const hit = await screen.findByTestId("graph-hit", {}, WAIT);
    expect(hit).toHaveAttribute("data-id", MOCK_AUDIT_IDS.globexOrphanNode(globex));
  }, APP_TIMEOUT);
});
