import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { BackendProvider, type Backend } from "../backend";

export function AppProviders({
  backend,
  queryClient,
  children,
}: {
  backend: Backend;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </BackendProvider>
  );
}
