import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend } from "../backend";
import { Icon } from "../components/Icon";
import { BackupsScreen } from "../features/backups/BackupsScreen";
import { CacheScreen } from "../features/cache/CacheScreen";
import { ConnectionPicker } from "../features/connections/ConnectionPicker";
import { ConnectionsScreen } from "../features/connections/ConnectionsScreen";
import { appInfoQuery } from "../features/connections/queries";
import { GraphScreen } from "../features/graph/GraphScreen";
import { StatusBar } from "../features/health/StatusBar";
import { TenantsScreen } from "../features/tenants/TenantsScreen";
import { TimeTravelScreen } from "../features/timetravel/TimeTravelScreen";
import { Nav } from "./Nav";
import { DEFAULT_SCREEN, screenFromHash, type ScreenId } from "./navigation";
import { useActiveConnection } from "./useActiveConnection";

export function App({ demo = false }: { demo?: boolean }) {
  const backend = useBackend();
  const info = useQuery(appInfoQuery(backend));
  const active = useActiveConnection();
  const [screen, setScreenState] = useState<ScreenId>(() => screenFromHash(window.location.hash) ?? DEFAULT_SCREEN);
  const setScreen = (id: ScreenId) => {
    setScreenState(id);
    window.history.replaceState(null, "", `#${id}`);
  };

  function renderScreen() {
    const connection = active.name;
    switch (screen) {
      case "tenants":
        return <TenantsScreen connection={connection} />;
      case "graph":
        return <GraphScreen connection={connection} />;
      case "cache":
        return <CacheScreen connection={connection} />;
      case "timetravel":
        return <TimeTravelScreen connection={connection} />;
      case "backups":
        return <BackupsScreen connection={connection} />;
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
        <ConnectionPicker value={active.name} onChange={active.select} onManage={() => setScreen("connections")} />
        <span className="spacer" />
        {demo && (
          <span className="demo-badge" title="No Tauri backend: this is in-memory demo data">
            demo data
          </span>
        )}
      </header>
      <Nav current={screen} onSelect={setScreen} version={info.data?.version ?? null} />
      <main className="main">{renderScreen()}</main>
      <StatusBar connection={active.name} />
    </div>
  );
}
