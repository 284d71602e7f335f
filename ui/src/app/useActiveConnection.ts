import { useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useBackend, type ConnectionSummary } from "../backend";
import { appInfoQuery, connectionsQuery } from "../features/connections/queries";
import { readSetting, writeSetting } from "../lib/storage";

export const ACTIVE_CONNECTION_KEY = "storelens.activeConnection";

/**
 * The connection every screen works on: the user's last choice (remembered in
 * localStorage) while it still exists, else the configured default, else the
 * first one. Null until both the list and the app info are known.
 */
export function useActiveConnection(): {
  name: string | null;
  summary: ConnectionSummary | undefined;
  select: (name: string) => void;
} {
  const backend = useBackend();
  const list = useQuery(connectionsQuery(backend));
  const info = useQuery(appInfoQuery(backend));
  const [chosen, setChosen] = useState<string | null>(() => readSetting(ACTIVE_CONNECTION_KEY));

  const select = useCallback((name: string) => {
    writeSetting(ACTIVE_CONNECTION_KEY, name);
    setChosen(name);
  }, []);

  let name: string | null = null;
  if (list.data && (info.isSuccess || info.isError)) {
    const names = list.data.map((c) => c.name);
    const fallback = info.data?.defaultConnection;
    if (chosen !== null && names.includes(chosen)) name = chosen;
    else if (fallback && names.includes(fallback)) name = fallback;
    else name = names[0] ?? null;
  }
  return { name, summary: list.data?.find((c) => c.name === name), select };
}
