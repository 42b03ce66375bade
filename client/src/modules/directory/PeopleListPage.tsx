import { Link } from "react-router-dom";
import { ROLE_LABELS, ROLES, type Role } from "../../../../shared/roles.js";
import { directoryQueries, type PeopleQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { ListPage, useUrlFilters } from "../../kits/ListPage.js";
import { SearchInput } from "../../components/SearchInput.js";
import { DirectoryTabs } from "../../components/Tabs.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { PeopleTable } from "./PeopleTable.js";
import { useSchoolOptions } from "./useSchoolOptions.js";

const PAGE_SIZE = 50;
const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive" },
  { value: "all", label: "All" },
];

function parseRole(value: string | null): Role | undefined {
  return ROLES.find((role) => role === value);
}

function parseStatus(value: string | null): "active" | "inactive" | "all" {
  return value === "inactive" || value === "all" ? value : "active";
}

export function PeopleListPage() {
  useDocumentTitle("People");
  const isAdmin = useIsDistrictAdmin();
  const { searchParams, setFilter, clearFilters } = useUrlFilters();
  const q = searchParams.get("q") ?? "";
  const role = parseRole(searchParams.get("role"));
  const schoolId = searchParams.get("schoolId") ?? "";
  const status = parseStatus(searchParams.get("status"));
  const pages = useCursorStack(JSON.stringify({ q, role, schoolId, status }));
  const schoolOptions = useSchoolOptions();

  const query: PeopleQuery = {
    limit: PAGE_SIZE,
    q: q || undefined,
    role,
    schoolId: schoolId || undefined,
    status,
    cursor: pages.cursor,
  };
  const people = useQuery({ ...directoryQueries.people(query), placeholderData: keepPreviousData });
  const hasFilters = Boolean(q || role || schoolId || status !== "active");

  return (
    <ListPage
      title="Directory"
      description="Everyone in the district: staff, students and their roles at each school."
      actions={
        isAdmin ? (
          <Link className="button button--primary" to="/directory/people/new">
            <Icon name="plus" size={16} />
            Add person
          </Link>
        ) : null
      }
      tabs={<DirectoryTabs />}
      filtersLabel="Filter people"
      filters={
        <>
          <SearchInput label="Search" value={q} placeholder="Name or email" onSearch={(value) => setFilter("q", value)} />
          <SelectField
            label="Role"
            value={role ?? ""}
            onChange={(value) => setFilter("role", value)}
            options={[{ value: "", label: "Any role" }, ...ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]}
          />
          <SelectField
            label="School"
            value={schoolId}
            onChange={(value) => setFilter("schoolId", value)}
            options={[{ value: "", label: schoolOptions.isLoading ? "Loading schools…" : "Any school" }, ...schoolOptions.options]}
          />
          <SelectField label="Status" value={status} onChange={(value) => setFilter("status", value, "active")} options={STATUS_OPTIONS} />
        </>
      }
      query={people}
      pages={pages}
      pageSize={PAGE_SIZE}
      noun="people"
      count={(total, atLeast) => formatCount(total, "person", "people", atLeast)}
      loadingLabel="Loading people…"
      empty={
        hasFilters ? (
          <EmptyState
            title="No one matches these filters"
            action={
              <button type="button" className="button" onClick={clearFilters}>
                Clear filters
              </button>
            }
          >
            Try a shorter search, another role or school, or include inactive people.
          </EmptyState>
        ) : (
          <EmptyState
            title="No people yet"
            action={
              isAdmin ? (
                <Link className="button button--primary" to="/directory/people/new">
                  Add the first person
                </Link>
              ) : null
            }
          >
            People appear here when an administrator adds them or imports a roster.
          </EmptyState>
        )
      }
    >
      {(list) => <PeopleTable people={list.items} caption="People" />}
    </ListPage>
  );
}
