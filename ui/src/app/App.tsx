import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useBackend, type KeyName } from "../backend";
import { Icon } from "../components/Icon";
import { AuditScreen, type AuditLink } from "../features/audit/AuditScreen";
import { BackupsScreen } from "../features/backups/BackupsScreen";
import { CacheScreen } from "../features/cache/CacheScreen";
import { ConnectionPicker } from "../features/connections/ConnectionPicker";
import { ConnectionsScreen } from "../features/connections/ConnectionsScreen";
import { appInfoQuery } from "../features/connections/queries";
import { FindScreen } from "../features/find/FindScreen";
import { GraphScreen } from "../features/graph/GraphScreen";
import { StatusBar } from "../features/health/StatusBar";
import { TenantsScreen } from "../features/tenants/TenantsScreen";
import { TimeTravelScreen } from "../features/timetravel/TimeTravelScreen";
import { Nav } from "./Nav";
import { DEFAULT_SCREEN, screenFromHash, type ScreenId } from "./navigation";
import { useActiveConnection } from "./useActiveConnection";

// The console brings its code editor (CodeMirror): loaded when first opened.
const ConsoleScreen = lazy(() => import("../features/console/ConsoleScreen").then((m) => ({ default: m.ConsoleScreen })));

export function App({ demo = false }: { demo?: boolean }) {
  const backend = useBackend();
  const info = useQuery(appInfoQuery(backend));
  const active = useActiveConnection();
  const [screen, setScreenState] = useState<ScreenId>(() => screenFromHash(window.location.hash) ?? DEFAULT_SCREEN);
  const setScreen = (id: ScreenId) => {
    setScreenState(id);
    window.history.replaceState(null, "", `#${id}`);
  };
  // What another screen asked to open (Find → Tenants, Tenants → Console,
  // Find or Graph → Time travel, Graph → Tenants or Find, Audit → Cache, Time
  // travel, Graph, Find or Backups). Each request remounts the target screen so it starts there.
  // `aggregateId` is what the target opens: an aggregate, Find's needle, a graph node's id.
  const [handoff, setHandoff] = useState<{
    screen: ScreenId;
    tenant: string | null;
    aggregateId: string | null;
    /** A cache key to open (Cache). */
    key: KeyName | null;
    seq: number;
  } | null>(null);
  const hand = (target: ScreenId, tenant: string | null, aggregateId: string | null = null, key: KeyName | null = null) => {
    setHandoff((h) => ({ screen: target, tenant, aggregateId, key, seq: (h?.seq ?? 0) + 1 }));
    setScreen(target);
  };
  /** An audit finding's link, into the screen that shows what it is about. */
  const openFromAudit = (link: AuditLink) => {
    switch (link.to) {
      case "cache":
        return hand("cache", link.tenant, null, link.key);
      case "timetravel":
        return hand("timetravel", link.tenant, link.aggregateId);
      case "graph":
        return hand("graph", link.tenant, link.nodeId);
      case "find":
        return hand("find", link.tenant, link.needle);
      case "backups":
        return hand("backups", link.tenant);
    }
  };
  const openIn = (target: ScreenId) => (tenant: string) => hand(target, tenant);
  const openTimeTravel = (aggregateId: string, tenant: string | null) => hand("timetravel", tenant, aggregateId);
  const navigate = (id: ScreenId) => {
    setHandoff(null);
    setScreen(id);
  };
  const handed = (id: ScreenId) => (handoff?.screen === id ? handoff : null);
  const target = (h: typeof handoff) => (h?.aggregateId ? { aggregateId: h.aggregateId, tenant: h.tenant } : null);

  function renderScreen() {
    const connection = active.name;
    switch (screen) {
      case "tenants":
        return (
          <TenantsScreen
            key={handed("tenants")?.seq ?? 0}
            connection={connection}
            initialTenant={handed("tenants")?.tenant ?? null}
            onOpenConsole={openIn("console")}
          />
        );
      case "find":
        return (
          <FindScreen
            key={handed("find")?.seq ?? 0}
            connection={connection}
            initial={handed("find")?.aggregateId ? { needle: handed("find")!.aggregateId!, tenant: handed("find")!.tenant } : null}
            onOpenTenant={openIn("tenants")}
            onOpenTimeTravel={openTimeTravel}
          />
        );
      case "console":
        return (
          <ConsoleScreen
            key={handed("console")?.seq ?? 0}
            connection={connection}
            initialTenant={handed("console")?.tenant ?? null}
          />
        );
      case "graph":
        return (
          <GraphScreen
            key={handed("graph")?.seq ?? 0}
            connection={connection}
            initial={handed("graph")?.aggregateId ? { tenant: handed("graph")!.tenant ?? "", text: handed("graph")!.aggregateId! } : null}
            onOpenTimeTravel={openTimeTravel}
            onOpenTenant={openIn("tenants")}
            onOpenFind={(needle, tenant) => hand("find", tenant, needle)}
          />
        );
      case "cache":
        return <CacheScreen key={handed("cache")?.seq ?? 0} connection={connection} initialKey={handed("cache")?.key ?? null} />;
      case "timetravel":
        return (
          <TimeTravelScreen
            key={handed("timetravel")?.seq ?? 0}
            connection={connection}
            initial={target(handed("timetravel"))}
          />
        );
      case "audit":
        return <AuditScreen connection={connection} onOpen={openFromAudit} />;
      case "backups":
        return <BackupsScreen key={handed("backups")?.seq ?? 0} connection={connection} />;
      case "connections":
        return <ConnectionsScreen activeConnection={connection} onActivate={active.select} />;
    }
  }

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <Icon name="logo" size={18} />
          <span>Storelens</span>
        </div>
        <ConnectionPicker value={active.name} onChange={active.select} onManage={() => navigate("connections")} />
        <span className="spacer" />
        {demo && (
          <span className="demo-badge" title="No Tauri backend: this is in-memory demo data">
            demo data
          </span>
        )}
      </header>
      <Nav current={screen} onSelect={navigate} version={info.data?.version ?? null} />
      <main className="main">
        <Suspense fallback={<p className="screen muted">Loading…</p>}>{renderScreen()}</Suspense>
      </main>
      <StatusBar connection={active.name} />
    </div>
  );
}
