// An in-memory Backend: used by component tests, and by `vite dev` / `vite
// preview` in a plain browser (no Tauri IPC) so the UI can be looked at.
import { BackendError } from "./errors";
import { STORE_KINDS as STORE_ORDER } from "./stores";
import type {
  AppInfo,
  Backend,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  ErrorPayload,
  HealthReport,
  SecretsInput,
  StoreHealth,
  StoreKind,
} from "./types";

type StoredSecretValues = Record<StoreKind, string | null>;

export interface MockConnection {
  draft: ConnectionDraft;
  /** What the fake keychain holds (null = nothing stored). */
  secrets?: Partial<StoredSecretValues>;
}

export type MockMethod = keyof Backend;

export interface MockCall {
  method: MockMethod;
  args: unknown[];
}

export interface MockOptions {
  connections?: MockConnection[];
  defaultConnection?: string | null;
  /** Per connection and store, overrides of the health a check reports. */
  health?: Record<string, Partial<Record<StoreKind, Partial<StoreHealth>>>>;
  /** Artificial latency of every call, in ms (0 in tests). */
  delayMs?: number;
}

export interface MockBackend extends Backend {
  /** Every call made, in order, with deep-copied arguments. */
  readonly calls: MockCall[];
  callsOf(method: MockMethod): unknown[][];
  /** The next call of `method` fails with this error payload. */
  failNext(method: MockMethod, error: ErrorPayload): void;
  setHealth(connection: string, store: StoreKind, health: Partial<StoreHealth>): void;
  /** The fake keychain's content for a connection (for assertions). */
  storedSecrets(name: string): StoredSecretValues | undefined;
}

const clone = <T>(value: T): T => structuredClone(value);

function configuredStores(draft: ConnectionDraft): StoreKind[] {
  return STORE_ORDER.filter((s) => draft[s] !== null);
}

function endpointOf(draft: ConnectionDraft, store: StoreKind): string | null {
  switch (store) {
    case "postgres":
      return draft.postgres?.url ?? null;
    case "graph":
      return draft.graph?.url ?? null;
    case "redis":
      return draft.redis?.urls.join(", ") ?? null;
    case "objects":
      return draft.objects ? `${draft.objects.endpoint}/${draft.objects.bucket}` : null;
  }
}

const MOCK_VERSIONS: Record<StoreKind, string> = {
  postgres: "PostgreSQL 15.8",
  graph: "ArcadeDB 25.4.1 (Bolt 4.0)",
  redis: "Redis 7.0.15",
  objects: "s3s-fs 0.14.1",
};
const MOCK_LATENCY: Record<StoreKind, number> = { postgres: 3, graph: 11, redis: 1, objects: 6 };

export function createMockBackend(options: MockOptions = {}): MockBackend {
  const connections = new Map<string, { draft: ConnectionDraft; secrets: StoredSecretValues }>();
  for (const c of options.connections ?? []) {
    connections.set(c.draft.name, {
      draft: clone(c.draft),
      secrets: { postgres: null, graph: null, redis: null, objects: null, ...c.secrets },
    });
  }
  const defaultConnection = options.defaultConnection ?? null;
  const health = clone(options.health ?? {});
  const failures = new Map<MockMethod, ErrorPayload[]>();
  const calls: MockCall[] = [];
  const delayMs = options.delayMs ?? 0;

  async function enter(method: MockMethod, args: unknown[]): Promise<void> {
    calls.push({ method, args: clone(args) });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (failure) throw BackendError.fromPayload(failure);
  }

  function summary(draft: ConnectionDraft): ConnectionSummary {
    return {
      name: draft.name,
      profile: draft.profile,
      readOnly: draft.readOnly,
      stores: configuredStores(draft),
    };
  }

  function get(name: string) {
    const c = connections.get(name);
    if (!c) throw new BackendError("not_found", `connection "${name}" does not exist`);
    return c;
  }

  return {
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    failNext(method, error) {
      const queue = failures.get(method) ?? [];
      queue.push(error);
      failures.set(method, queue);
    },
    setHealth(connection, store, h) {
      health[connection] = { ...health[connection], [store]: h };
    },
    storedSecrets: (name) => {
      const c = connections.get(name);
      return c ? clone(c.secrets) : undefined;
    },

    async listConnections() {
      await enter("listConnections", []);
      return [...connections.values()]
        .map((c) => summary(c.draft))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async getConnection(name) {
      await enter("getConnection", [name]);
      const c = get(name);
      const details: ConnectionDetails = {
        draft: clone(c.draft),
        secrets: {
          postgres: c.secrets.postgres !== null,
          graph: c.secrets.graph !== null,
          redis: c.secrets.redis !== null,
          objects: c.secrets.objects !== null,
        },
      };
      return details;
    },

    async saveConnection(draft: ConnectionDraft, secrets: SecretsInput) {
      await enter("saveConnection", [draft, secrets]);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(draft.name)) {
        throw new BackendError(
          "invalid_input",
          "name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        );
      }
      if (draft.profile.trim() === "") {
        throw new BackendError("invalid_input", "profile: must not be empty");
      }
      const previous = connections.get(draft.name)?.secrets ?? {
        postgres: null,
        graph: null,
        redis: null,
        objects: null,
      };
      const next = { ...previous };
      for (const store of STORE_ORDER) {
        const value = secrets[store];
        if (value === "") next[store] = null;
        else if (value !== null) next[store] = value;
      }
      connections.set(draft.name, { draft: clone(draft), secrets: next });
      return summary(draft);
    },

    async deleteConnection(name) {
      await enter("deleteConnection", [name]);
      get(name);
      connections.delete(name);
      return null;
    },

    async checkHealth(name) {
      await enter("checkHealth", [name]);
      const c = get(name);
      const overrides = health[name] ?? {};
      const stores = STORE_ORDER.map((store): StoreHealth => {
        const configured = c.draft[store] !== null;
        const base: StoreHealth = configured
          ? {
              store,
              state: "up",
              endpoint: endpointOf(c.draft, store),
              latencyMs: MOCK_LATENCY[store],
              version: MOCK_VERSIONS[store],
              readOnly: c.draft.readOnly,
              error: null,
            }
          : {
              store,
              state: "not_configured",
              endpoint: null,
              latencyMs: null,
              version: null,
              readOnly: c.draft.readOnly,
              error: null,
            };
        return { ...base, ...overrides[store], store };
      });
      const report: HealthReport = { connection: name, checkedAt: new Date().toISOString(), stores };
      return report;
    },

    async appInfo() {
      await enter("appInfo", []);
      const info: AppInfo = {
        version: "0.1.0-mock",
        configDir: "/home/admin/.config/storelens",
        dataDir: "/home/admin/.local/share/storelens",
        logFile: "/home/admin/.local/share/storelens/storelens.log",
        defaultConnection,
      };
      return info;
    },
  };
}

/** Demo data for looking at the UI in a browser. */
export function createDemoBackend(): MockBackend {
  return createMockBackend({
    delayMs: 150,
    defaultConnection: "sandbox",
    connections: [
      {
        draft: {
          name: "sandbox",
          profile: "sandbox",
          readOnly: true,
          postgres: { url: "postgres://storelens@127.0.0.1:54329/storelens_sandbox", tls: "disable" },
          graph: { url: "bolt://127.0.0.1:57687", user: "root", database: "neo4j" },
          redis: { urls: ["redis://127.0.0.1:56379"], cluster: false, username: null },
          objects: {
            endpoint: "http://127.0.0.1:59000",
            region: "us-east-1",
            bucket: "knowledge-os",
            accessKeyId: "sandbox",
          },
        },
        secrets: { postgres: "pw", graph: "pw", objects: "pw" },
      },
      {
        draft: {
          name: "prod-eu",
          profile: "/etc/storelens/profiles/knowledge-os.toml",
          readOnly: true,
          postgres: { url: "postgres://audit@pg.prod-eu.internal:5432/kos", tls: "require" },
          graph: { url: "bolt://graph.prod-eu.internal:7687", user: "audit", database: null },
          redis: {
            urls: ["redis://cache-1.prod-eu.internal:6379", "redis://cache-2.prod-eu.internal:6379"],
            cluster: true,
            username: "audit",
          },
          objects: null,
        },
        secrets: { postgres: "pw", graph: "pw", redis: "pw" },
      },
      {
        draft: {
          name: "staging",
          profile: "sandbox",
          readOnly: false,
          postgres: { url: "postgres://admin@pg.staging.internal:5432/kos", tls: "prefer" },
          graph: null,
          redis: null,
          objects: null,
        },
      },
    ],
    health: {
      "prod-eu": {
        graph: {
          state: "down",
          latencyMs: null,
          version: null,
          error: { code: "auth", message: "Neo.ClientError.Security.Unauthorized: authentication failure" },
        },
      },
    },
  });
}
