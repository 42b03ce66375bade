import { schoolsApi } from "../../api/endpoints.js";
import { useResource } from "../../api/useResource.js";

/** Every school, for filters and role pickers (districts have far fewer than 200). */
export function useSchoolOptions() {
  const resource = useResource("schools:options", (signal) => schoolsApi.list({ limit: 200 }, { signal }));
  const schools = resource.data?.items ?? [];
  return {
    schools,
    options: schools.map((school) => ({ value: school.id, label: school.name })),
    isLoading: resource.isLoading,
    error: resource.error,
  };
}
