import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { AppProviders } from "./app/providers";
import { createQueryClient } from "./app/queryClient";
import type { Backend } from "./backend";
import { isTauri, tauriBackend } from "./backend/tauri";
import "./styles.css";

async function chooseBackend(): Promise<{ backend: Backend; demo: boolean }> {
  if (isTauri()) return { backend: tauriBackend, demo: false };
  // A plain browser (vite dev / preview): in-memory demo data. Loaded lazily so
  // the desktop app never evaluates it.
  const { createDemoBackend } = await import("./backend/mock");
  return { backend: createDemoBackend(), demo: true };
}

void chooseBackend().then(({ backend, demo }) => {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <AppProviders backend={backend} queryClient={createQueryClient()}>
        <App demo={demo} />
      </AppProviders>
    </StrictMode>,
  );
});
