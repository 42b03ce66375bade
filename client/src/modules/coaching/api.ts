/** Coaching endpoints: the log, the dashboard, cycles, categories and the Google Forms import. */
import type { TCoachesQuery, TCoachesReport, TCoachingHome, TPersonCoaching } from "../../../../shared/schemas/home.js";
import { queryOptions, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  TCategory,
  TCreateEntryRequest,
  TCycle,
  TDashboard,
  TEntry,
  TImportReport,
  TUpdateEntryRequest,
  ZAddStepRequest,
  ZCreateCategoryRequest,
  ZCreateCycleRequest,
  ZImportRequest,
  ZRecentEntry,
  ZUpdateCategoryRequest,
  ZUpdateCycleRequest,
} from "../../../../shared/schemas/coaching.js";
import type { TList } from "../../../../shared/schemas/common.js";
import { API_BASE, http, toQueryString } from "../../api/client.js";

export type TRecentEntry = z.infer<typeof ZRecentEntry>;
export type TCreateCategoryRequest = z.infer<typeof ZCreateCategoryRequest>;
export type TUpdateCategoryRequest = z.infer<typeof ZUpdateCategoryRequest>;
export type TCreateCycleRequest = z.infer<typeof ZCreateCycleRequest>;
export type TUpdateCycleRequest = z.infer<typeof ZUpdateCycleRequest>;
export type TAddStepRequest = z.infer<typeof ZAddStepRequest>;
/** The import request as the client sends it (defaults filled in by the server). */
export type TImportInput = z.input<typeof ZImportRequest>;

/** Entry list filters as the client sends them: every filter optional. */
export type EntriesQuery = {
  from?: string;
  to?: string;
  coachId?: string;
  /** District admins: every coach's entries ("true"). */
  allCoaches?: "true";
  schoolId?: string;
  categoryId?: string;
  cycleId?: string;
  limit?: number;
  cursor?: string;
};

export type DashboardScope = "me" | "school" | "district";
export type DashboardBucket = "week" | "month" | "term";
export type DashboardTable = "series" | "coverage" | "teachers" | "schools";
export type DashboardQuery = {
  scope: DashboardScope;
  bucket: DashboardBucket;
  from?: string;
  to?: string;
  schoolId?: string;
  coachId?: string;
};

export type CycleStatusFilter = "active" | "paused" | "complete" | "all";
export type CyclesQuery = { status: CycleStatusFilter; coachId?: string; teacherId?: string; limit?: number; cursor?: string };

type Signal = { signal?: AbortSignal };
const entryPath = (id: string) => `/coaching/entries/${encodeURIComponent(id)}`;
const cyclePath = (id: string) => `/coaching/cycles/${encodeURIComponent(id)}`;

export const coachingApi = {
  categories: (opts: Signal = {}) => http.get<{ items: TCategory[] }>("/coaching/categories", opts),
  createCategory: (body: TCreateCategoryRequest) => http.post<TCategory>("/coaching/categories", body),
  updateCategory: (id: string, body: TUpdateCategoryRequest) =>
    http.patch<TCategory>(`/coaching/categories/${encodeURIComponent(id)}`, body),

  entries: (query: EntriesQuery, opts: Signal = {}) => http.get<TList<TEntry>>("/coaching/entries", { ...opts, query }),
  recent: (opts: Signal = {}) => http.get<{ items: TRecentEntry[] }>("/coaching/entries/recent", opts),
  createEntry: (body: TCreateEntryRequest) => http.post<TEntry>("/coaching/entries", body),
  updateEntry: (id: string, body: TUpdateEntryRequest) => http.patch<TEntry>(entryPath(id), body),
  deleteEntry: (id: string) => http.delete(entryPath(id)),
  /** A plain link: the browser sends the session cookie and saves the file. */
  entriesCsvUrl: (query: Omit<EntriesQuery, "limit" | "cursor">) => `${API_BASE}/coaching/entries.csv${toQueryString(query)}`,
  importEntries: (body: TImportInput) => http.post<TImportReport>("/coaching/entries/import", body),

  dashboard: (query: DashboardQuery, opts: Signal = {}) => http.get<TDashboard>("/coaching/dashboard", { ...opts, query }),
  /** The home page's numbers for each of the caller's roles. */
  home: (opts: Signal = {}) => http.get<TCoachingHome>("/coaching/home", opts),
  /** A staff member's coaching, for their page in the directory. */
  person: (id: string, opts: Signal = {}) => http.get<TPersonCoaching>(`/coaching/people/${encodeURIComponent(id)}`, opts),
  coaches: (query: TCoachesQuery, opts: Signal = {}) => http.get<TCoachesReport>("/coaching/coaches", { ...opts, query }),
  coachesCsvUrl: (query: TCoachesQuery, table: "coaches" | "teachers" | "schools") => `${API_BASE}/coaching/coaches.csv${toQueryString({ ...query, table })}`,
  dashboardCsvUrl: (query: DashboardQuery, table: DashboardTable) =>
    `${API_BASE}/coaching/dashboard.csv${toQueryString({ ...query, table })}`,

  cycles: (query: CyclesQuery, opts: Signal = {}) => http.get<TList<TCycle>>("/coaching/cycles", { ...opts, query }),
  cycle: (id: string, opts: Signal = {}) => http.get<TCycle>(cyclePath(id), opts),
  createCycle: (body: TCreateCycleRequest) => http.post<TCycle>("/coaching/cycles", body),
  updateCycle: (id: string, body: TUpdateCycleRequest) => http.patch<TCycle>(cyclePath(id), body),
  addStep: (id: string, body: TAddStepRequest) => http.post<TCycle>(`${cyclePath(id)}/steps`, body),
};

export const coachingKeys = {
  all: ["coaching"] as const,
  categories: () => [...coachingKeys.all, "categories"] as const,
  entries: () => [...coachingKeys.all, "entries"] as const,
  entriesList: (query: EntriesQuery) => [...coachingKeys.entries(), "list", query] as const,
  recent: () => [...coachingKeys.entries(), "recent"] as const,
  dashboard: (query: DashboardQuery) => [...coachingKeys.all, "dashboard", query] as const,
  home: () => [...coachingKeys.all, "home"] as const,
  coaches: (query: TCoachesQuery) => [...coachingKeys.all, "coaches", query] as const,
  person: (id: string) => [...coachingKeys.all, "person", id] as const,
  cycles: () => [...coachingKeys.all, "cycles"] as const,
  cyclesList: (query: CyclesQuery) => [...coachingKeys.cycles(), "list", query] as const,
  cycle: (id: string) => [...coachingKeys.cycles(), "one", id] as const,
};

export const coachingQueries = {
  categories: () => queryOptions({ queryKey: coachingKeys.categories(), queryFn: ({ signal }) => coachingApi.categories({ signal }) }),
  entries: (query: EntriesQuery) =>
    queryOptions({ queryKey: coachingKeys.entriesList(query), queryFn: ({ signal }) => coachingApi.entries(query, { signal }) }),
  recent: () => queryOptions({ queryKey: coachingKeys.recent(), queryFn: ({ signal }) => coachingApi.recent({ signal }) }),
  dashboard: (query: DashboardQuery) =>
    queryOptions({ queryKey: coachingKeys.dashboard(query), queryFn: ({ signal }) => coachingApi.dashboard(query, { signal }) }),
  home: () => queryOptions({ queryKey: coachingKeys.home(), queryFn: ({ signal }) => coachingApi.home({ signal }) }),
  person: (id: string) => queryOptions({ queryKey: coachingKeys.person(id), queryFn: ({ signal }) => coachingApi.person(id, { signal }) }),
  coaches: (query: TCoachesQuery) => queryOptions({ queryKey: coachingKeys.coaches(query), queryFn: ({ signal }) => coachingApi.coaches(query, { signal }) }),
  cycles: (query: CyclesQuery) =>
    queryOptions({ queryKey: coachingKeys.cyclesList(query), queryFn: ({ signal }) => coachingApi.cycles(query, { signal }) }),
  cycle: (id: string) => queryOptions({ queryKey: coachingKeys.cycle(id), queryFn: ({ signal }) => coachingApi.cycle(id, { signal }) }),
};

/**
 * After any coaching write: an entry moves the week, the dashboard, a cycle's minutes and the recent
 * list at once, so mark the whole module stale (only what is on screen refetches).
 */
export function useInvalidateCoaching(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: coachingKeys.all });
}
