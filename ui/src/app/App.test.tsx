import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../backend/mock";
import { MOCK_SHARED_ATOM_ID } from "../backend/mockRows";
import { draft, renderWithBackend } from "../test/render";
import { App } from "./App";
import { ACTIVE_CONNECTION_KEY } from "./useActiveConnection";

const SCREENS = ["tenants", "find", "console", "graph", "cache", "timetravel", "audit", "backups", "connections"] as const;

describe("App shell", () => {
  it("switches screens from the navigation", async () => {
    const { user } = renderWithBackend(<App />);
    expect(screen.getByTestId("screen-tenants")).toBeInTheDocument();
    expect(screen.getByTestId("nav-tenants")).toHaveAttribute("aria-current", "page");

    for (const id of SCREENS) {
      await user.click(screen.getByTestId(`nav-${id}`));
      expect(await screen.findByTestId(`screen-${id}`)).toBeInTheDocument();
      expect(screen.getByTestId(`nav-${id}`)).toHaveAttribute("aria-current", "page");
      for (const other of SCREENS.filter((s) => s !== id)) {
        expect(screen.queryByTestId(`screen-${other}`)).not.toBeInTheDocument();
      }
    }
    expect(screen.getByRole("heading", { name: "Connections" })).toBeInTheDocument();
    // Nine screens, each mounted and queried in turn.
  }, 20_000);

  it("opens the screen named in the URL hash, and records the current one there", async () => {
    window.history.replaceState(null, "", "#cache");
    const { user } = renderWithBackend(<App />);
    expect(screen.getByTestId("screen-cache")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-backups"));
    expect(window.location.hash).toBe("#backups");
  });

  it("starts on the default connection and checks its health", async () => {
    const { backend } = renderWithBackend(<App />, {
      mock: {
        defaultConnection: "beta",
        connections: [
          { draft: draft("alpha") },
          { draft: draft("beta") },
        ],
      },
    });
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("beta"));
    await waitFor(() => expect(backend.callsOf("checkHealth")).toEqual([["beta"]]));
    await waitFor(() =>
      expect(screen.getAllByTestId(/^store-health-/).map((c) => c.getAttribute("data-state"))).toEqual([
        "up",
        "up",
        "up",
        "up",
      ]),
    );
  });

  it("remembers the picked connection in localStorage and restores it", async () => {
    const first = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
    await first.user.selectOptions(screen.getByTestId("connection-picker"), "beta");
    expect(window.localStorage.getItem(ACTIVE_CONNECTION_KEY)).toBe("beta");
    await waitFor(() => expect(first.backend.callsOf("checkHealth")).toContainEqual(["beta"]));
    await waitFor(() => expect(screen.getByTestId("store-health-graph")).toHaveAttribute("data-state", "not_configured"));
    first.unmount();

    const second = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("beta"));
    await waitFor(() => expect(second.backend.callsOf("checkHealth")).toEqual([["beta"]]));
  });

  it("falls back to the default when the remembered connection is gone", async () => {
    window.localStorage.setItem(ACTIVE_CONNECTION_KEY, "deleted-one");
    renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
  });

  it("opens the editor on the active connection when started on the Connections screen", async () => {
    window.history.replaceState(null, "", "#connections");
    renderWithBackend(<App />);
    expect(await screen.findByRole("heading", { level: 2, name: "alpha" })).toBeInTheDocument();
    expect(await screen.findByDisplayValue("postgres://admin@127.0.0.1:5432/alpha")).toBeInTheDocument();
  });

  it("opens the editor on the active connection from the Connections screen", async () => {
    const { user } = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
    await user.click(screen.getByTestId("nav-connections"));
    const editor = await screen.findByTestId("connection-editor");
    expect(await within(editor).findByRole("heading", { name: "alpha" })).toBeInTheDocument();
  });

  it("opens a Find hit's tenant in the Tenants screen", async () => {
    const { user } = renderWithBackend(<App />);
    await waitFor(() => expect(screen.getByTestId("connection-picker")).toHaveValue("alpha"));
    await user.click(screen.getByTestId("nav-find"));
    await user.type(screen.getByTestId("find-input"), MOCK_SHARED_ATOM_ID);
    await user.click(screen.getByTestId("find-submit"));
    const hits = await screen.findAllByTestId("find-hit", {}, { timeout: 5_000 });
    const globex = hits.find((h) => h.getAttribute("data-tenant") === "globex")!;
    await user.click(within(globex).getByTestId("find-open-tenant"));

    expect(screen.getByTestId("screen-tenants")).toBeInTheDocument();
    expect(screen.getByTestId("nav-tenants")).toHaveAttribute("aria-current", "page");
    const detail = await screen.findByTestId("tenant-detail");
    await waitFor(() => expect(detail).toHaveAttribute("aria-label", "Tenant globex"));
    await waitFor(() => expect(screen.getByTestId("tenants-row-globex")).toHaveAttribute("aria-selected", "true"));

    // The nav opens the list as it was, without the handed-over tenant.
    await user.click(screen.getByTestId("nav-find"));
    await user.click(screen.getByTestId("nav-tenants"));
    await screen.findByTestId("tenants-row-acme");
    expect(screen.queryByTestId("tenant-detail")).not.toBeInTheDocument();
  });

  it("opens a Find hit's events in Time travel", async () => {
    const { user } = renderWithBackend(<App />);
    await user.click(screen.getByTestId("nav-find"));
    await user.type(screen.getByTestId("find-input"), MOCK_SHARED_ATOM_ID);
    await user.click(screen.getByTestId("find-submit"));
    const hits = await screen.findAllByTestId("find-hit", {}, { timeout: 5_000 });
    const globex = hits.find((h) => h.getAttribute("data-tenant") === "globex")!;
    await user.click(within(globex).getByTestId("find-open-timetravel"));

    expect(screen.getByTestId("screen-timetravel")).toBeInTheDocument();
    expect(screen.getByTestId("nav-timetravel")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("tt-aggregate")).toHaveValue(MOCK_SHARED_ATOM_ID);
    expect(screen.getByTestId("tt-tenant")).toHaveValue(mockTenants().find((t) => t.slug === "globex")!.id);
    await waitFor(() => expect(screen.getByTestId("tt-tenant-slug")).toHaveTextContent("globex"), { timeout: 5_000 });

    // The nav opens the screen empty.
    await user.click(screen.getByTestId("nav-find"));
    await user.click(screen.getByTestId("nav-timetravel"));
    expect(screen.getByTestId("tt-aggregate")).toHaveValue("");
    expect(screen.queryByTestId("tt-summary")).not.toBeInTheDocument();
  });

  it("opens the console on a tenant from its detail", async () => {
    const { user } = renderWithBackend(<App />);
    await user.click(await screen.findByTestId("tenants-row-cyberdyne"));
    await user.click(await screen.findByTestId("tenant-open-console"));
    expect(await screen.findByTestId("screen-console")).toBeInTheDocument();
    const cyberdyne = mockTenants().find((t) => t.slug === "cyberdyne")!;
    expect(screen.getByTestId("console-tenant")).toHaveValue(cyberdyne.id);
    await waitFor(() => expect(screen.getByTestId("console-tenant-status")).toHaveTextContent("cyberdyne · schema tier"));
  });
});
