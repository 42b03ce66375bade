/** Observation roll-ups and composite scores: the report endpoints, their query keys and mutations. */
import { queryOptions } from "@tanstack/react-query";
import type {
  ExportTable,
  TCompareReport,
  TComposite,
  TCompositeList,
  TCreateCompositeRequest,
  TGrowthReport,
  TRollupReport,
  TUpdateCompositeRequest,
} from "../../../../../shared/schemas/observation-reports.js";
import { API_BASE, http, toQueryString } from "../../../api/client.js";

/** A roll-up filter as the client sends it (the server fills in the dates and the rubric). */
export type RollupQuery = {
  scope: "teacher" | "school" | "district";
  teacherId?: string;
  schoolId?: string;
  subject?: string;
  gradeBand?: string;
  from?: string;
  to?: string;
};
export type GrowthQuery = RollupQuery & { bucket: "term" | "year" };
export type CompareQuery = RollupQuery & { by: "schools" | "periods"; otherSchoolId?: string; otherFrom?: string; otherTo?: string };

type Signal = { signal?: AbortSignal };

export const reportsApi = {
  rollup: (query: RollupQuery, opts: Signal = {}) => http.get<TRollupReport>("/observations/rollups", { ...opts, query }),
  growth: (query: GrowthQuery, opts: Signal = {}) => http.get<TGrowthReport>("/observations/rollups/growth", { ...opts, query }),
  compare: (query: CompareQuery, opts: Signal = {}) => http.get<TCompareReport>("/observations/rollups/compare", { ...opts, query }),
  composites: (opts: Signal = {}) => http.get<TCompositeList>("/observations/composites", opts),
  createComposite: (body: TCreateCompositeRequest) => http.post<TComposite>("/observations/composites", body),
  updateComposite: (id: string, body: TUpdateCompositeRequest) => http.patch<TComposite>(`/observations/composites/${encodeURIComponent(id)}`, body),
  deleteComposite: (id: string) => http.delete(`/observations/composites/${encodeURIComponent(id)}`),
  /** The CSV of one table, for a download link. */
  csvUrl: (table: ExportTable, query: RollupQuery & Partial<Omit<CompareQuery, keyof RollupQuery>> & { bucket?: "term" | "year" }) =>
    `${API_BASE}/observations/rollups/export.csv${toQueryString({ ...query, table })}`,
};

export const reportKeys = {
  all: ["observation-reports"] as const,
  rollup: (query: RollupQuery) => [...reportKeys.all, "rollup", query] as const,
  growth: (query: GrowthQuery) => [...reportKeys.all, "growth", query] as const,
  compare: (query: CompareQuery) => [...reportKeys.all, "compare", query] as const,
  composites: () => [...reportKeys.all, "composites"] as const,
};

export const reportQueries = {
  rollup: (query: RollupQuery) => queryOptions({ queryKey: reportKeys.rollup(query), queryFn: ({ signal }) => reportsApi.rollup(query, { signal }) }),
  growth: (query: GrowthQuery) => queryOptions({ queryKey: reportKeys.growth(query), queryFn: ({ signal }) => reportsApi.growth(query, { signal }) }),
  compare: (query: CompareQuery) => queryOptions({ queryKey: reportKeys.compare(query), queryFn: ({ signal }) => reportsApi.compare(query, { signal }) }),
  composites: () => queryOptions({ queryKey: reportKeys.composites(), queryFn: ({ signal }) => reportsApi.composites({ signal }) }),
};
