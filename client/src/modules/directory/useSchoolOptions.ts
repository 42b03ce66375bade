import { useQuery } from "@tanstack/react-query";
import { directoryQueries } from "./api.js";

/** Every school, for filters and role pickers (districts have far fewer than 200). */
export function useSchoolOptions() {
  const resource = useQuery(directoryQueries.schools({ limit: 200 }));
  const schools = resource.data?.items ?? [];
  return {
    schools,
    options: schools.map((school) => ({ value: school.id, label: school.name })),
    isLoading: resource.isFetching,
    error: resource.error,
  };
}
