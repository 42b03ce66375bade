/** District settings: the audit log and single sign-on providers. */
import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { TAuditEntry, TListAuditQuery } from "../../../../shared/schemas/audit.js";
import type { TList } from "../../../../shared/schemas/common.js";
import type { TDistrictProfile, TDistrictSettings, TUpdateDistrictProfileRequest, TUpdateDistrictSettingsRequest } from "../../../../shared/schemas/settings.js";
import type {
  TSsoDiscoveryResult,
  TSsoProvider,
  TSsoProviderList,
  TUpdateSsoProviderRequest,
  ZCreateSsoProviderRequest,
} from "../../../../shared/schemas/sso.js";
import { API_BASE, http, toQueryString } from "../../api/client.js";

export type TCreateSsoProviderInput = z.input<typeof ZCreateSsoProviderRequest>;
/** List queries as the client sends them: every filter optional, cursor optional. */
export type AuditQuery = Partial<TListAuditQuery>;

type Signal = { signal?: AbortSignal };
const ssoPath = (id: string) => `/sso/admin/providers/${encodeURIComponent(id)}`;

export const auditApi = {
  list: (query: AuditQuery, opts: Signal = {}) => http.get<TList<TAuditEntry>>("/audit", { ...opts, query }),
  /** A plain link (the browser sends the session cookie) so the download needs no JavaScript. */
  csvUrl: (query: AuditQuery) => {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    return `${API_BASE}/audit.csv${toQueryString(filters)}`;
  },
};

export const ssoApi = {
  list: (opts: Signal = {}) => http.get<TSsoProviderList>("/sso/admin/providers", opts),
  get: (id: string, opts: Signal = {}) => http.get<TSsoProvider>(ssoPath(id), opts),
  create: (body: TCreateSsoProviderInput) => http.post<TSsoProvider>("/sso/admin/providers", body),
  update: (id: string, body: TUpdateSsoProviderRequest) => http.patch<TSsoProvider>(ssoPath(id), body),
  remove: (id: string) => http.delete(ssoPath(id)),
  testDiscovery: (id: string) => http.post<TSsoDiscoveryResult>(`${ssoPath(id)}/test-discovery`),
};

export const settingsApi = {
  security: (opts: Signal = {}) => http.get<TDistrictSettings>("/settings", opts),
  updateSecurity: (body: TUpdateDistrictSettingsRequest) => http.patch<TDistrictSettings>("/settings", body),
  district: (opts: Signal = {}) => http.get<TDistrictProfile>("/settings/district", opts),
  updateDistrict: (body: TUpdateDistrictProfileRequest) => http.patch<TDistrictProfile>("/settings/district", body),
};

export const settingsKeys = {
  all: ["settings"] as const,
  audit: (query: AuditQuery) => [...settingsKeys.all, "audit", query] as const,
  ssoProviders: () => [...settingsKeys.all, "sso", "list"] as const,
  ssoProvider: (id: string) => [...settingsKeys.all, "sso", "provider", id] as const,
  sso: () => [...settingsKeys.all, "sso"] as const,
  security: () => [...settingsKeys.all, "security"] as const,
  district: () => [...settingsKeys.all, "district"] as const,
};

export const settingsQueries = {
  security: () => queryOptions({ queryKey: settingsKeys.security(), queryFn: ({ signal }) => settingsApi.security({ signal }) }),
  district: () => queryOptions({ queryKey: settingsKeys.district(), queryFn: ({ signal }) => settingsApi.district({ signal }) }),
  audit: (query: AuditQuery) =>
    queryOptions({ queryKey: settingsKeys.audit(query), queryFn: ({ signal }) => auditApi.list(query, { signal }) }),
  ssoProviders: () => queryOptions({ queryKey: settingsKeys.ssoProviders(), queryFn: ({ signal }) => ssoApi.list({ signal }) }),
  ssoProvider: (id: string) =>
    queryOptions({ queryKey: settingsKeys.ssoProvider(id), queryFn: ({ signal }) => ssoApi.get(id, { signal }) }),
};
