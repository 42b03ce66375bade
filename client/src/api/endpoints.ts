/** One typed function per API endpoint the client uses; types come from the shared schemas. */
import type { z } from "zod";
import type { TList } from "../../../shared/schemas/common.js";
import type {
  TLoginRequest,
  TMe,
  TSetupRequest,
  ZApiToken,
  ZCreateApiTokenRequest,
  ZCreatedApiToken,
  ZSetupStatus,
  ZUpdateMeRequest,
} from "../../../shared/schemas/auth.js";
import type {
  TCreatePersonRequest,
  TListPeopleQuery,
  TPerson,
  TUpdatePersonRequest,
} from "../../../shared/schemas/people.js";
import type {
  TCreateSchoolRequest,
  TListSchoolsQuery,
  TSchool,
  TUpdateSchoolRequest,
} from "../../../shared/schemas/schools.js";
import type { TAuditEntry, TListAuditQuery } from "../../../shared/schemas/audit.js";
import { API_BASE, http, setCsrfToken, toQueryString } from "./client.js";

export type TApiToken = z.infer<typeof ZApiToken>;
export type TCreatedApiToken = z.infer<typeof ZCreatedApiToken>;
export type TCreateApiTokenRequest = z.input<typeof ZCreateApiTokenRequest>;
export type TUpdateMeRequest = z.infer<typeof ZUpdateMeRequest>;
export type TSetupStatus = z.infer<typeof ZSetupStatus>;

/** List queries as the client sends them: every filter optional, cursor optional. */
export type PeopleQuery = Partial<TListPeopleQuery>;
export type SchoolsQuery = Partial<TListSchoolsQuery>;
export type AuditQuery = Partial<TListAuditQuery>;

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
  login: async (body: TLoginRequest) => remember(await http.post<TMe>("/auth/login", body, { isAnonymous: true })),
  logout: () => http.post<unknown>("/auth/logout", undefined, { isAnonymous: true }),
  requestPasswordReset: (email: string) =>
    http.post<{ ok: true }>("/auth/password-reset", { email }, { isAnonymous: true }),
  confirmPasswordReset: (body: { token: string; password: string }) =>
    http.post<unknown>("/auth/password-reset/confirm", body, { isAnonymous: true }),
};

export const meApi = {
  /** The contract does not pin the reply to PATCH /me; accept a TMe or a bare TPerson. */
  update: async (body: TUpdateMeRequest, current: TMe): Promise<TMe> => {
    const reply = await http.patch<TMe | TPerson>("/me", body);
    return "person" in reply ? remember(reply) : { ...current, person: reply };
  },
  changePassword: async (body: { currentPassword: string; newPassword: string }) => {
    const reply = await http.post<unknown>("/me/password", body);
    // If the server rotates the session on a password change it sends a fresh CSRF token.
    if (typeof reply === "object" && reply !== null && "csrfToken" in reply && typeof reply.csrfToken === "string") {
      setCsrfToken(reply.csrfToken);
    }
    return reply;
  },
  listTokens: (opts: Signal = {}) => http.get<{ items: TApiToken[] }>("/me/tokens", opts),
  createToken: (body: TCreateApiTokenRequest) => http.post<TCreatedApiToken>("/me/tokens", body),
  deleteToken: (id: string) => http.delete(`/me/tokens/${encodeURIComponent(id)}`),
};

export const peopleApi = {
  list: (query: PeopleQuery, opts: Signal = {}) => http.get<TList<TPerson>>("/people", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TPerson>(`/people/${encodeURIComponent(id)}`, opts),
  create: (body: TCreatePersonRequest) => http.post<TPerson>("/people", body),
  update: (id: string, body: TUpdatePersonRequest) => http.patch<TPerson>(`/people/${encodeURIComponent(id)}`, body),
  deactivate: (id: string) => http.post<TPerson>(`/people/${encodeURIComponent(id)}/deactivate`),
  reactivate: (id: string) => http.post<TPerson>(`/people/${encodeURIComponent(id)}/reactivate`),
};

export const schoolsApi = {
  list: (query: SchoolsQuery, opts: Signal = {}) => http.get<TList<TSchool>>("/schools", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TSchool>(`/schools/${encodeURIComponent(id)}`, opts),
  create: (body: TCreateSchoolRequest) => http.post<TSchool>("/schools", body),
  update: (id: string, body: TUpdateSchoolRequest) => http.patch<TSchool>(`/schools/${encodeURIComponent(id)}`, body),
};

export const auditApi = {
  list: (query: AuditQuery, opts: Signal = {}) => http.get<TList<TAuditEntry>>("/audit", { ...opts, query }),
  /** A plain link (the browser sends the session cookie) so the download needs no JavaScript. */
  csvUrl: (query: AuditQuery) => {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    return `${API_BASE}/audit.csv${toQueryString(filters)}`;
  },
};
