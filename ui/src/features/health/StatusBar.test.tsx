import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createMockBackend } from "../../backend/mock";
import { draft, renderWithBackend } from "../../test/render";
import { HEALTH_REFRESH_MS, healthQuery } from "./queries";
import { StatusBar } from "./StatusBar";

function backendWithDownGraph() {
  return createMockBackend({
    connections: [{ draft: draft("alpha", { objects: null }) }],
    health: {
      alpha: {
        graph: {
          state: "down",
          latencyMs: null,
          version: null,
          error: { code: "auth", message: "authentication failure for user neo4j" },
        },
        postgres: { latencyMs: 4, version: "PostgreSQL 15.8" },
      },
    },
  });
}

describe("StatusBar", () => {
  it("renders one chip per store with the state of the health report", async () => {
    const { backend } = renderWithBackend(<StatusBar connection="alpha" />, { backend: backendWithDownGraph() });

    await waitFor(() => expect(screen.getByTestId("store-health-postgres")).toHaveAttribute("data-state", "up"));
    expect(screen.getByTestId("store-health-graph")).toHaveAttribute("data-state", "down");
    expect(screen.getByTestId("store-health-redis")).toHaveAttribute("data-state", "up");
    expect(screen.getByTestId("store-health-objects")).toHaveAttribute("data-state", "not_configured");
    expect(screen.getAllByTestId(/^store-health-/)).toHaveLength(4);
    expect(backend.callsOf("checkHealth")).toEqual([["alpha"]]);

    const pg = screen.getByTestId("store-health-postgres");
    expect(pg).toHaveTextContent("PostgreSQL");
    expect(pg).toHaveTextContent("4 ms");
    expect(pg).toHaveTextContent("PostgreSQL 15.8");
    expect(pg).toHaveTextContent("read-only");
  });

  it("puts the error of a down store in the chip's title", async () => {
    renderWithBackend(<StatusBar connection="alpha" />, { backend: backendWithDownGraph() });

    const graph = await screen.findByTestId("store-health-graph");
    await waitFor(() => expect(graph).toHaveAttribute("data-state", "down"));
    expect(graph.getAttribute("title")).toContain("authentication failure for user neo4j");
    expect(graph.getAttribute("title")).toContain("Authentication failed");
    expect(screen.getByTestId("store-health-postgres").getAttribute("title")).not.toContain("authentication");
  });

  it("re-checks on the refresh button", async () => {
    const { backend, user } = renderWithBackend(<StatusBar connection="alpha" />, {
      backend: backendWithDownGraph(),
    });
    await waitFor(() => expect(backend.callsOf("checkHealth")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("store-health-redis")).toHaveAttribute("data-state", "up"));

    backend.setHealth("alpha", "redis", { state: "down", error: { code: "timeout", message: "no reply in 2 s" } });
    await user.click(screen.getByTestId("health-refresh"));

    await waitFor(() => expect(screen.getByTestId("store-health-redis")).toHaveAttribute("data-state", "down"));
    expect(backend.callsOf("checkHealth")).toHaveLength(2);
  });

  it("shows a failed check, not stale chips", async () => {
    const backend = backendWithDownGraph();
    backend.failNext("checkHealth", { code: "profile", message: "profile sandbox.toml: bad table" });
    renderWithBackend(<StatusBar connection="alpha" />, { backend });

    expect(await screen.findByTestId("health-error")).toHaveTextContent("Profile error");
    for (const store of ["postgres", "graph", "redis", "objects"]) {
      expect(screen.getByTestId(`store-health-${store}`)).toHaveAttribute("data-state", "unknown");
    }
  });

  it("polls every 10 s", () => {
    const options = healthQuery(createMockBackend(), "alpha");
    expect(HEALTH_REFRESH_MS).toBe(10_000);
    expect(options.refetchInterval).toBe(10_000);
  });

  it("checks nothing without a connection", () => {
    const { backend } = renderWithBackend(<StatusBar connection={null} />);
    expect(screen.getByText("No connection selected")).toBeInTheDocument();
    expect(backend.callsOf("checkHealth")).toHaveLength(0);
  });
});
