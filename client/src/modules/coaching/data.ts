import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { TCategory } from "../../../../shared/schemas/coaching.js";
import { directoryQueries } from "../directory/api.js";
import type { CoachingAccess, SchoolRef } from "./access.js";
import { coachingKeys, coachingQueries } from "./api.js";
import { categoryColors } from "./format.js";

/** The district's categories in their order, with a colour for each. */
export function useCategories() {
  const queryClient = useQueryClient();
  const query = useQuery(coachingQueries.categories());
  const categories: TCategory[] = useMemo(() => query.data?.items ?? [], [query.data]);
  const colors = useMemo(() => categoryColors(categories), [categories]);
  return {
    categories,
    colors,
    error: query.error,
    isLoading: query.isFetching,
    reload: () => void query.refetch(),
    /** Replace the cached list after a successful write, without another round trip. */
    setCategories: (items: TCategory[]) => queryClient.setQueryData(coachingKeys.categories(), { items }),
  };
}

const NONE: readonly SchoolRef[] = [];

/**
 * Schools for a picker: the listed ones when the person has a fixed set, else every school of the
 * district (admins, district-wide coaches), loaded from the directory; `preferred` ones come first.
 */
export function useSchoolChoices(schools: "all" | SchoolRef[], preferred: readonly SchoolRef[] = NONE) {
  const isAll = schools === "all";
  const query = useQuery({ ...directoryQueries.schools({ limit: 200, status: "active" }), enabled: isAll });
  const list: SchoolRef[] = useMemo(() => {
    const all = isAll ? (query.data?.items ?? []).map((s) => ({ id: s.id, name: s.name })) : [...schools];
    const rank = (s: SchoolRef) => (preferred.some((p) => p.id === s.id) ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }, [isAll, query.data, schools, preferred]);
  return { schools: list, isLoading: isAll && query.isFetching, error: query.error };
}

/** The schools one may log at: the ones coached first (every school for admins and district-wide coaches). */
export function useCoachSchools(access: CoachingAccess) {
  return useSchoolChoices(access.coachSchools, access.ownCoachSchools);
}

/** Active cycles the signed-in coach runs, for attaching log entries (null: not a coach). */
export function useActiveCycles(coachId: string | null) {
  const query = useQuery({
    ...coachingQueries.cycles({ status: "active", coachId: coachId ?? undefined, limit: 100 }),
    enabled: coachId !== null,
  });
  return query.data?.items ?? [];
}
