/** The directory: people, schools, and the classes and school summaries from the roster. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { TList } from "../../../../shared/schemas/common.js";
import type { TCreatePersonRequest, TListPeopleQuery, TPerson, TUpdatePersonRequest } from "../../../../shared/schemas/people.js";
import type { TClassDetail, TClassSummary, TListClassesQuery, TSchoolSummary } from "../../../../shared/schemas/classes.js";
import type { TCreateSchoolRequest, TListSchoolsQuery, TSchool, TUpdateSchoolRequest } from "../../../../shared/schemas/schools.js";
import { http } from "../../api/client.js";

/** List queries as the client sends them: every filter optional, cursor optional. */
export type PeopleQuery = Partial<TListPeopleQuery>;
export type SchoolsQuery = Partial<TListSchoolsQuery>;
export type ClassesQuery = Partial<TListClassesQuery>;

type Signal = { signal?: AbortSignal };
const enc = encodeURIComponent;

export const peopleApi = {
  list: (query: PeopleQuery, opts: Signal = {}) => http.get<TList<TPerson>>("/people", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TPerson>(`/people/${enc(id)}`, opts),
  create: (body: TCreatePersonRequest) => http.post<TPerson>("/people", body),
  update: (id: string, body: TUpdatePersonRequest) => http.patch<TPerson>(`/people/${enc(id)}`, body),
  deactivate: (id: string) => http.post<TPerson>(`/people/${enc(id)}/deactivate`),
  reactivate: (id: string) => http.post<TPerson>(`/people/${enc(id)}/reactivate`),
};

export const schoolsApi = {
  list: (query: SchoolsQuery, opts: Signal = {}) => http.get<TList<TSchool>>("/schools", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TSchool>(`/schools/${enc(id)}`, opts),
  create: (body: TCreateSchoolRequest) => http.post<TSchool>("/schools", body),
  update: (id: string, body: TUpdateSchoolRequest) => http.patch<TSchool>(`/schools/${enc(id)}`, body),
  summary: (id: string, opts: Signal = {}) => http.get<TSchoolSummary>(`/schools/${enc(id)}/summary`, opts),
};

export const classesApi = {
  list: (query: ClassesQuery, opts: Signal = {}) => http.get<TList<TClassSummary>>("/classes", { ...opts, query }),
  get: (id: string, opts: Signal = {}) => http.get<TClassDetail>(`/classes/${enc(id)}`, opts),
};

export const directoryKeys = {
  all: ["directory"] as const,
  people: () => [...directoryKeys.all, "people"] as const,
  peopleList: (query: PeopleQuery) => [...directoryKeys.people(), "list", query] as const,
  person: (id: string) => [...directoryKeys.people(), "one", id] as const,
  schools: () => [...directoryKeys.all, "schools"] as const,
  schoolsList: (query: SchoolsQuery) => [...directoryKeys.schools(), "list", query] as const,
  school: (id: string) => [...directoryKeys.schools(), "one", id] as const,
  schoolSummary: (id: string) => [...directoryKeys.schools(), "summary", id] as const,
  classes: () => [...directoryKeys.all, "classes"] as const,
  classesList: (query: ClassesQuery) => [...directoryKeys.classes(), "list", query] as const,
  class: (id: string) => [...directoryKeys.classes(), "one", id] as const,
};

export const directoryQueries = {
  people: (query: PeopleQuery) =>
    queryOptions({ queryKey: directoryKeys.peopleList(query), queryFn: ({ signal }) => peopleApi.list(query, { signal }) }),
  person: (id: string) => queryOptions({ queryKey: directoryKeys.person(id), queryFn: ({ signal }) => peopleApi.get(id, { signal }) }),
  schools: (query: SchoolsQuery) =>
    queryOptions({ queryKey: directoryKeys.schoolsList(query), queryFn: ({ signal }) => schoolsApi.list(query, { signal }) }),
  school: (id: string) => queryOptions({ queryKey: directoryKeys.school(id), queryFn: ({ signal }) => schoolsApi.get(id, { signal }) }),
  schoolSummary: (id: string) =>
    queryOptions({ queryKey: directoryKeys.schoolSummary(id), queryFn: ({ signal }) => schoolsApi.summary(id, { signal }) }),
  classes: (query: ClassesQuery) =>
    queryOptions({ queryKey: directoryKeys.classesList(query), queryFn: ({ signal }) => classesApi.list(query, { signal }) }),
  class: (id: string) => queryOptions({ queryKey: directoryKeys.class(id), queryFn: ({ signal }) => classesApi.get(id, { signal }) }),
};

/** Adds a school; the school lists (and pickers) load again. */
export function useCreateSchool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: schoolsApi.create,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: directoryKeys.schools() }),
  });
}

/** Adds a person; the people lists and the schools' people counts load again. */
export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: peopleApi.create,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: directoryKeys.all }),
  });
}
