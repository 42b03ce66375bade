/** Observation endpoints: rubrics, the district's app list, observations and their feedback. */
import { queryOptions } from "@tanstack/react-query";
import type { TList } from "../../../../shared/schemas/common.js";
import type {
  TApp,
  TCreateObservationRequest,
  TObservation,
  TRubric,
  TRubricVersion,
  TUpdateObservationRequest,
  TUpdateRubricRequest,
} from "../../../../shared/schemas/observations.js";
import type { z } from "zod";
import type { ZCreateRubricRequest } from "../../../../shared/schemas/observations.js";
import type { TPerson } from "../../../../shared/schemas/people.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { http } from "../../api/client.js";

export type ObservationsQuery = {
  schoolId?: string;
  teacherId?: string;
  observerId?: string;
  status?: "draft" | "submitted" | "shared";
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
};

type Signal = { signal?: AbortSignal };
const enc = encodeURIComponent;
const one = (id: string) => `/observations/${enc(id)}`;

export const observationsApi = {
  rubrics: (opts: Signal = {}) => http.get<{ items: TRubric[] }>("/observations/rubrics", opts),
  version: (id: string, opts: Signal = {}) => http.get<TRubricVersion>(`/observations/rubric-versions/${enc(id)}`, opts),
  createRubric: (body: z.input<typeof ZCreateRubricRequest>) => http.post<TRubric>("/observations/rubrics", body),
  updateRubric: (id: string, body: TUpdateRubricRequest) => http.patch<TRubric>(`/observations/rubrics/${enc(id)}`, body),
  apps: (opts: Signal = {}) => http.get<{ items: TApp[] }>("/observations/apps", opts),
  addApp: (name: string) => http.post<{ items: TApp[] }>("/observations/apps", { name }),
  list: (query: ObservationsQuery, opts: Signal = {}) => http.get<TList<TObservation>>("/observations", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TObservation>(one(id), opts),
  create: (body: TCreateObservationRequest) => http.post<TObservation>("/observations", body),
  update: (id: string, body: TUpdateObservationRequest) => http.patch<TObservation>(one(id), body),
  remove: (id: string) => http.delete(one(id)),
  acknowledge: (id: string) => http.post<TObservation>(`${one(id)}/acknowledge`),
  comment: (id: string, body: string) => http.post<TObservation>(`${one(id)}/comments`, { body }),
  /** Teachers of a school, for the form's picker (and its offline copy). */
  teachers: (schoolId: string, opts: Signal = {}) =>
    http.get<TList<TPerson>>("/people", { ...opts, query: { role: "teacher", schoolId, status: "active", limit: 200 } }),
  schools: (opts: Signal = {}) => http.get<TList<TSchool>>("/schools", { ...opts, query: { limit: 200 } }),
};

export const observationKeys = {
  all: ["observations"] as const,
  list: (query: ObservationsQuery) => [...observationKeys.all, "list", query] as const,
  one: (id: string) => [...observationKeys.all, "one", id] as const,
  version: (id: string) => [...observationKeys.all, "version", id] as const,
};

export const observationQueries = {
  list: (query: ObservationsQuery) => queryOptions({ queryKey: observationKeys.list(query), queryFn: ({ signal }) => observationsApi.list(query, { signal }) }),
  one: (id: string) => queryOptions({ queryKey: observationKeys.one(id), queryFn: ({ signal }) => observationsApi.get(id, { signal }) }),
  // A version never changes once used: cache it for the session.
  version: (id: string) =>
    queryOptions({ queryKey: observationKeys.version(id), queryFn: ({ signal }) => observationsApi.version(id, { signal }), staleTime: Infinity }),
};
