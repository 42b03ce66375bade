/** Help desk endpoints: tickets, queues, the kiosk, departments, the punch list, reports. */
import { queryOptions } from "@tanstack/react-query";
import type { TList } from "../../../../shared/schemas/common.js";
import type {
  TAddMessageRequest,
  TCannedReply,
  TCategory,
  TCreateTicketRequest,
  TDepartment,
  TEscalateRequest,
  THelpdeskSettings,
  TSlaTarget,
  TKioskStudent,
  TPunchList,
  TQueue,
  TRateRequest,
  TReport,
  TScores,
  TTicket,
  TTicketSummary,
  TUpdateTicketRequest,
} from "../../../../shared/schemas/helpdesk.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { API_BASE, getCsrfToken, http, toApiError } from "../../api/client.js";

export type TicketsQuery = {
  mine?: "requested" | "assigned";
  queueId?: string;
  status?: string;
  schoolId?: string;
  requesterId?: string;
  limit?: number;
  cursor?: string;
};
type Signal = { signal?: AbortSignal };
const enc = encodeURIComponent;
const one = (id: string) => `/helpdesk/tickets/${enc(id)}`;

export const helpdeskApi = {
  categories: (opts: Signal = {}) => http.get<{ items: TCategory[] }>("/helpdesk/categories", opts),
  settings: (opts: Signal = {}) => http.get<THelpdeskSettings>("/helpdesk/settings", opts),
  addCategory: (name: string) => http.post<THelpdeskSettings>("/helpdesk/categories", { name }),
  updateCategory: (id: string, body: { name?: string; status?: "active" | "retired"; sortOrder?: number }) => http.patch<THelpdeskSettings>(`/helpdesk/categories/${enc(id)}`, body),
  setSla: (targets: TSlaTarget[]) => http.put<THelpdeskSettings>("/helpdesk/sla-targets", { targets }),
  addQueue: (body: { name: string; audience: "student" | "staff" | "district" }) => http.post<THelpdeskSettings>("/helpdesk/queues", body),
  updateQueue: (id: string, body: { name?: string; status?: "active" | "retired"; sortOrder?: number; moveToQueueId?: string }) => http.patch<THelpdeskSettings>(`/helpdesk/queues/${enc(id)}`, body),
  setMembers: (queueId: string, personIds: string[]) => http.put<{ items: TQueue[] }>(`/helpdesk/queues/${enc(queueId)}/members`, { personIds }),
  queues: (opts: Signal = {}) => http.get<{ items: TQueue[] }>("/helpdesk/queues", opts),
  canned: (opts: Signal = {}) => http.get<{ items: TCannedReply[] }>("/helpdesk/canned-replies", opts),
  list: (query: TicketsQuery, opts: Signal = {}) => http.get<TList<TTicketSummary>>("/helpdesk/tickets", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TTicket>(one(id), opts),
  create: (body: TCreateTicketRequest) => http.post<TTicket>("/helpdesk/tickets", body),
  update: (id: string, body: TUpdateTicketRequest) => http.patch<TTicket>(one(id), body),
  take: (id: string) => http.post<TTicket>(`${one(id)}/take`),
  message: (id: string, body: TAddMessageRequest) => http.post<TTicket>(`${one(id)}/messages`, body),
  rate: (id: string, body: TRateRequest) => http.post<TTicket>(`${one(id)}/rating`, body),
  escalate: (id: string, body: TEscalateRequest) => http.post<TTicket>(`${one(id)}/escalate`, body),
  sendToRepair: (id: string, body: { note: string }) => http.post<TTicket>(`${one(id)}/repair`, body),
  student: (number: string) => http.get<TKioskStudent>(`/helpdesk/kiosk/students/${enc(number)}`),
  departments: (opts: Signal = {}) => http.get<{ items: TDepartment[] }>("/helpdesk/departments", opts),
  punchList: (query: { departmentId?: string; schoolId?: string }, opts: Signal = {}) => http.get<TPunchList>("/helpdesk/punch-list", { ...opts, query }),
  markFixed: (ticketIds: string[], note: string) => http.post<{ fixed: number; notified: number }>("/helpdesk/punch-list/fixed", { ticketIds, note }),
  report: (query: { from?: string; to?: string; schoolId?: string }, opts: Signal = {}) => http.get<TReport>("/helpdesk/reports", { ...opts, query }),
  scores: (query: { from?: string; to?: string }, opts: Signal = {}) => http.get<TScores>("/helpdesk/scores", { ...opts, query }),
  schools: (opts: Signal = {}) => http.get<TList<TSchool>>("/schools", { ...opts, query: { limit: 200 } }),
  /** Sends a photo as the request body; the server re-encodes it without its metadata. */
  async attach(id: string, file: File): Promise<void> {
    const res = await fetch(`${API_BASE}${one(id)}/attachments`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": file.type || "application/octet-stream", "X-CSRF-Token": getCsrfToken() ?? "" },
      body: file,
    });
    if (!res.ok) {
      const payload: unknown = await res.json().catch(() => null);
      throw toApiError(res.status, payload);
    }
  },
};

export const helpdeskKeys = {
  all: ["helpdesk"] as const,
  list: (query: TicketsQuery) => [...helpdeskKeys.all, "list", query] as const,
  one: (id: string) => [...helpdeskKeys.all, "one", id] as const,
  ref: (what: string) => [...helpdeskKeys.all, "ref", what] as const,
  punch: (query: object) => [...helpdeskKeys.all, "punch", query] as const,
  report: (query: object) => [...helpdeskKeys.all, "report", query] as const,
};

export const helpdeskQueries = {
  categories: () => queryOptions({ queryKey: helpdeskKeys.ref("categories"), queryFn: ({ signal }) => helpdeskApi.categories({ signal }), staleTime: 5 * 60_000 }),
  settings: () => queryOptions({ queryKey: helpdeskKeys.ref("settings"), queryFn: ({ signal }) => helpdeskApi.settings({ signal }) }),
  queues: () => queryOptions({ queryKey: helpdeskKeys.ref("queues"), queryFn: ({ signal }) => helpdeskApi.queues({ signal }) }),
  canned: () => queryOptions({ queryKey: helpdeskKeys.ref("canned"), queryFn: ({ signal }) => helpdeskApi.canned({ signal }), staleTime: 5 * 60_000 }),
  departments: () => queryOptions({ queryKey: helpdeskKeys.ref("departments"), queryFn: ({ signal }) => helpdeskApi.departments({ signal }) }),
  schools: () => queryOptions({ queryKey: helpdeskKeys.ref("schools"), queryFn: ({ signal }) => helpdeskApi.schools({ signal }), staleTime: 5 * 60_000 }),
  list: (query: TicketsQuery) => queryOptions({ queryKey: helpdeskKeys.list(query), queryFn: ({ signal }) => helpdeskApi.list(query, { signal }) }),
  one: (id: string) => queryOptions({ queryKey: helpdeskKeys.one(id), queryFn: ({ signal }) => helpdeskApi.get(id, { signal }) }),
  punch: (query: { departmentId?: string; schoolId?: string }) => queryOptions({ queryKey: helpdeskKeys.punch(query), queryFn: ({ signal }) => helpdeskApi.punchList(query, { signal }) }),
  report: (query: { from?: string; to?: string; schoolId?: string }) => queryOptions({ queryKey: helpdeskKeys.report(query), queryFn: ({ signal }) => helpdeskApi.report(query, { signal }) }),
  scores: (query: { from?: string; to?: string }) => queryOptions({ queryKey: helpdeskKeys.report({ scores: true, ...query }), queryFn: ({ signal }) => helpdeskApi.scores(query, { signal }) }),
};
