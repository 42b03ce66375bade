/** Accounts before sign-in: first-run setup, sign-in/out, password reset, and the SSO buttons. */
import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { TLoginRequest, TMe, TSession, TSetupRequest, ZSetupStatus } from "../../../../shared/schemas/auth.js";
import type { TSsoPublicProvider } from "../../../../shared/schemas/sso.js";
import { API_BASE, http, setCsrfToken } from "../../api/client.js";

export type TSetupStatus = z.infer<typeof ZSetupStatus>;

type Signal = { signal?: AbortSignal };

function remember(me: TMe): TMe {
  setCsrfToken(me.csrfToken);
  return me;
}

export const setupApi = {
  status: (opts: Signal = {}) => http.get<TSetupStatus>("/setup", { ...opts, isAnonymous: true }),
  complete: async (body: TSetupRequest) => remember(await http.post<TMe>("/setup", body, { isAnonymous: true })),
};

export const authApi = {
  me: async (opts: Signal = {}) => remember(await http.get<TMe>("/me", { ...opts, isAnonymous: true })),
  /** Who is signed in, or null: asked at start-up, so a signed-out page logs no 401. */
  session: async (opts: Signal = {}): Promise<TMe | null> => {
    const { me } = await http.get<TSession>("/auth/session", { ...opts, isAnonymous: true });
    return me ? remember(me) : null;
  },
  login: async (body: TLoginRequest) => remember(await http.post<TMe>("/auth/login", body, { isAnonymous: true })),
  logout: () => http.post<unknown>("/auth/logout", undefined, { isAnonymous: true }),
  requestPasswordReset: (email: string) =>
    http.post<{ ok: true }>("/auth/password-reset", { email }, { isAnonymous: true }),
  confirmPasswordReset: (body: { token: string; password: string }) =>
    http.post<unknown>("/auth/password-reset/confirm", body, { isAnonymous: true }),
  ssoProviders: (opts: Signal = {}) =>
    http.get<{ items: TSsoPublicProvider[] }>("/sso/providers", { ...opts, isAnonymous: true }),
  /** A full-page navigation, not a fetch: the browser goes to the provider and comes back signed in. */
  ssoStartUrl: (id: string, returnTo: string) =>
    `${API_BASE}/sso/${encodeURIComponent(id)}/start?returnTo=${encodeURIComponent(returnTo)}`,
};

export const authKeys = {
  all: ["auth"] as const,
  setupStatus: () => [...authKeys.all, "setup-status"] as const,
  ssoProviders: () => [...authKeys.all, "sso-providers"] as const,
};

export const authQueries = {
  setupStatus: () => queryOptions({ queryKey: authKeys.setupStatus(), queryFn: ({ signal }) => setupApi.status({ signal }) }),
  ssoProviders: () => queryOptions({ queryKey: authKeys.ssoProviders(), queryFn: ({ signal }) => authApi.ssoProviders({ signal }) }),
};
