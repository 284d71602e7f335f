// All query keys in one place, so one feature can invalidate what another
// shows without importing it (e.g. saving a connection refreshes its health).
export const queryKeys = {
  appInfo: () => ["app-info"] as const,
  connections: {
    all: () => ["connections"] as const,
    list: () => ["connections", "list"] as const,
    detail: (name: string) => ["connections", "detail", name] as const,
  },
  /** A connection's profile summary (tenants and console both read it). */
  profile: (connection: string) => ["profile", connection] as const,
  health: {
    all: () => ["health"] as const,
    of: (connection: string) => ["health", connection] as const,
  },
  /** How long a connection's writes stay unlocked (the cache and backups screens both guard writes by it). */
  writeAccess: (connection: string) => ["write-access", connection] as const,
  /** The write log (every guarded write, from any screen, is entered there). */
  writeLog: () => ["write-log"] as const,
};
