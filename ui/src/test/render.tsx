import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { AppProviders } from "../app/providers";
import type { ConnectionDraft } from "../backend";
import { createMockBackend, type MockBackend, type MockOptions } from "../backend/mock";

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

export function renderWithBackend(
  ui: ReactElement,
  options: { backend?: MockBackend; mock?: MockOptions; queryClient?: QueryClient } = {},
) {
  const backend = options.backend ?? createMockBackend(options.mock ?? fixtures());
  const queryClient = options.queryClient ?? testQueryClient();
  const user = userEvent.setup();
  const result = render(
    <AppProviders backend={backend} queryClient={queryClient}>
      {ui}
    </AppProviders>,
  );
  return { ...result, backend, queryClient, user };
}

export function draft(name: string, overrides: Partial<ConnectionDraft> = {}): ConnectionDraft {
  return {
    name,
    profile: "sandbox",
    readOnly: true,
    postgres: { url: `postgres://admin@127.0.0.1:5432/${name}`, tls: "disable" },
    graph: { url: "bolt://127.0.0.1:7687", user: "neo4j", database: null },
    redis: { urls: ["redis://127.0.0.1:6379"], cluster: false, username: null },
    objects: { endpoint: "http://127.0.0.1:9000", region: "us-east-1", bucket: "docs", accessKeyId: "AKIA" },
    ...overrides,
  };
}

/** Two connections: "alpha" (all stores, postgres password stored) and "beta" (postgres only). */
export function fixtures(): MockOptions {
  return {
    defaultConnection: "alpha",
    connections: [
      { draft: draft("alpha"), secrets: { postgres: "old-secret" } },
      { draft: draft("beta", { graph: null, redis: null, objects: null, readOnly: false }) },
    ],
  };
}
