import type { IconName } from "../components/Icon";

export type ScreenId = "tenants" | "find" | "console" | "graph" | "cache" | "timetravel" | "audit" | "backups" | "connections";

export interface NavItem {
  id: ScreenId;
  label: string;
  icon: IconName;
}

export const NAV_GROUPS: { label: string; items: NavItem[] }[] = [
  {
    label: "Investigate",
    items: [
      { id: "tenants", label: "Tenants", icon: "tenants" },
      { id: "find", label: "Find", icon: "search" },
      { id: "console", label: "Console", icon: "console" },
      { id: "graph", label: "Graph", icon: "graph" },
      { id: "cache", label: "Cache", icon: "cache" },
      { id: "timetravel", label: "Time travel", icon: "timetravel" },
    ],
  },
  {
    label: "Operate",
    items: [
      { id: "audit", label: "Audit", icon: "audit" },
      { id: "backups", label: "Backups", icon: "backups" },
    ],
  },
  { label: "Settings", items: [{ id: "connections", label: "Connections", icon: "connections" }] },
];

export const DEFAULT_SCREEN: ScreenId = "tenants";

const SCREEN_IDS: readonly ScreenId[] = NAV_GROUPS.flatMap((g) => g.items.map((i) => i.id));

/** `#connections` and the like: lets a browser (and a screenshot) open a screen directly. */
export function screenFromHash(hash: string): ScreenId | null {
  const id = hash.replace(/^#\/?/, "");
  return (SCREEN_IDS as readonly string[]).includes(id) ? (id as ScreenId) : null;
}
