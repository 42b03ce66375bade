/**
 * The one TanStack Query client: server state is cached per query key (each module's `api.ts`
 * names its keys), refreshed after writes by invalidating the module's keys.
 */
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client.js";

declare module "@tanstack/react-query" {
  // Every query and mutation rejects with an ApiError (api/client.ts turns any failure into one).
  // Declaration merging needs an interface here.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Register {
    defaultError: ApiError;
  }
}

const MAX_RETRIES = 2;

/**
 * Retry only what may succeed on a second try: a lost connection or a server error. A 4xx is an
 * answer (not found, forbidden, invalid, signed out) and asking again changes nothing.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        // A list seen a moment ago is shown at once and refreshed in the background.
        staleTime: 30_000,
        // Pages refetch on mount and after writes; a refetch on every tab switch surprises people filling in forms.
        refetchOnWindowFocus: false,
      },
      // A write is never repeated behind the person's back (it may have been applied).
      mutations: { retry: false },
    },
  });
}
