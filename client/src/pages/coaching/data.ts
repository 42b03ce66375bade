import { useMemo } from "react";
import type { TCategory } from "../../../../shared/schemas/coaching.js";
import { coachingApi } from "../../api/coaching.js";
import { schoolsApi } from "../../api/endpoints.js";
import { useResource } from "../../api/useResource.js";
import type { CoachingAccess, SchoolRef } from "./access.js";
import { categoryColors } from "./format.js";

/** The district's categories in their order, with a colour for each. */
export function useCategories() {
  const resource = useResource("coaching:categories", (signal) => coachingApi.categories({ signal }));
  const categories: TCategory[] = useMemo(() => resource.data?.items ?? [], [resource.data]);
  const colors = useMemo(() => categoryColors(categories), [categories]);
  return { ...resource, categories, colors };
}

const NONE: readonly SchoolRef[] = [];

/**
 * Schools for a picker: the listed ones when the person has a fixed set, else every school of the
 * district (admins, district-wide coaches), loaded from the directory; `preferred` ones come first.
 */
export function useSchoolChoices(schools: "all" | SchoolRef[], preferred: readonly SchoolRef[] = NONE) {
  const isAll = schools === "all";
  const resource = useResource(isAll ? "coaching:schools" : null, (signal) => schoolsApi.list({ limit: 200, status: "active" }, { signal }));
  const list: SchoolRef[] = useMemo(() => {
    const all = isAll ? (resource.data?.items ?? []).map((s) => ({ id: s.id, name: s.name })) : [...schools];
    const rank = (s: SchoolRef) => (preferred.some((p) => p.id === s.id) ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }, [isAll, resource.data, schools, preferred]);
  return { schools: list, isLoading: isAll && resource.isLoading, error: resource.error };
}

/** The schools one may log at: the ones coached first (every school for admins and district-wide coaches). */
export function useCoachSchools(access: CoachingAccess) {
  return useSchoolChoices(access.coachSchools, access.ownCoachSchools);
}

/** Active cycles the signed-in coach runs, for attaching log entries (null: not a coach). */
export function useActiveCycles(coachId: string | null) {
  const resource = useResource(coachId ? `coaching:cycles:active:${coachId}` : null, (signal) =>
    coachingApi.cycles({ status: "active", coachId: coachId ?? undefined, limit: 100 }, { signal }),
  );
  return resource.data?.items ?? [];
}
