import type { IconName } from "../components/Icon";

export type ScreenId = "tenants" | "graph" | "cache" | "timetravel" | "backups" | "connections";

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
      { id: "graph", label: "Graph", icon: "graph" },
      { id: "cache", label: "Cache", icon: "cache" },
      { id: "timetravel", label: "Time travel", icon: "timetravel" },
    ],
  },
  { label: "Operate", items: [{ id: "backups", label: "Backups", icon: "backups" }] },
  { label: "Settings", items: [{ id: "connections", label: "Connections", icon: "connections" }] },
];

export const DEFAULT_SCREEN: ScreenId = "tenants";
