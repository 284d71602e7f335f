import { QueryClient } from "@tanstack/react-query";
import { BackendError } from "../backend";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A BackendError is an answer (not_found, auth, ...): retrying won't change it.
        retry: (failureCount, error) => !(error instanceof BackendError) && failureCount < 2,
        // A desktop window regains focus all the time; the status bar polls anyway.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
