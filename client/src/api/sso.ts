/** Single sign-on endpoints: the public provider list for the sign-in page and the admin settings. */
import type { z } from "zod";
import type {
  TSsoDiscoveryResult,
  TSsoProvider,
  TSsoProviderList,
  TSsoPublicProvider,
  TUpdateSsoProviderRequest,
  ZCreateSsoProviderRequest,
} from "../../../shared/schemas/sso.js";
import { API_BASE, http } from "./client.js";

export type TCreateSsoProviderInput = z.input<typeof ZCreateSsoProviderRequest>;

type Signal = { signal?: AbortSignal };
const path = (id: string) => `/sso/admin/providers/${encodeURIComponent(id)}`;

export const ssoApi = {
  publicProviders: (opts: Signal = {}) =>
    http.get<{ items: TSsoPublicProvider[] }>("/sso/providers", { ...opts, isAnonymous: true }),
  /** A full-page navigation, not a fetch: the browser goes to the provider and comes back signed in. */
  startUrl: (id: string, returnTo: string) =>
    `${API_BASE}/sso/${encodeURIComponent(id)}/start?returnTo=${encodeURIComponent(returnTo)}`,
  list: (opts: Signal = {}) => http.get<TSsoProviderList>("/sso/admin/providers", opts),
  get: (id: string, opts: Signal = {}) => http.get<TSsoProvider>(path(id), opts),
  create: (body: TCreateSsoProviderInput) => http.post<TSsoProvider>("/sso/admin/providers", body),
  update: (id: string, body: TUpdateSsoProviderRequest) => http.patch<TSsoProvider>(path(id), body),
  remove: (id: string) => http.delete(path(id)),
  testDiscovery: (id: string) => http.post<TSsoDiscoveryResult>(`${path(id)}/test-discovery`),
};
