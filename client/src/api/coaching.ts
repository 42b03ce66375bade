/** Coaching endpoints: the log, the dashboard, cycles, categories and the Google Forms import. */
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
} from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import { API_BASE, http, toQueryString } from "./client.js";

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
  dashboardCsvUrl: (query: DashboardQuery, table: DashboardTable) =>
    `${API_BASE}/coaching/dashboard.csv${toQueryString({ ...query, table })}`,

  cycles: (query: CyclesQuery, opts: Signal = {}) => http.get<TList<TCycle>>("/coaching/cycles", { ...opts, query }),
  cycle: (id: string, opts: Signal = {}) => http.get<TCycle>(cyclePath(id), opts),
  createCycle: (body: TCreateCycleRequest) => http.post<TCycle>("/coaching/cycles", body),
  updateCycle: (id: string, body: TUpdateCycleRequest) => http.patch<TCycle>(cyclePath(id), body),
  addStep: (id: string, body: TAddStepRequest) => http.post<TCycle>(`${cyclePath(id)}/steps`, body),
};
