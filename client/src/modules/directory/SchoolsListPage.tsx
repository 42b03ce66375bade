import { Link } from "react-router-dom";
import { SCHOOL_LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "../../../../shared/roles.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { directoryQueries, type SchoolsQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListPage, useUrlFilters } from "../../kits/ListPage.js";
import { StatusBadge } from "../../components/RoleList.js";
import { SearchInput } from "../../components/SearchInput.js";
import { DirectoryTabs } from "../../components/Tabs.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin } from "../../lib/session.js";

const PAGE_SIZE = 50;

function parseLevel(value: string | null): SchoolLevel | undefined {
  return SCHOOL_LEVELS.find((level) => level === value);
}

function schoolPath(school: TSchool): string {
  return `/directory/schools/${encodeURIComponent(school.id)}`;
}

const COLUMNS: Column<TSchool>[] = [
  {
    id: "name",
    header: "Name",
    isPrimary: true,
    cell: (school) => (
      <Link className="strong-link" to={schoolPath(school)}>
        {school.name}
      </Link>
    ),
  },
  { id: "level", header: "Level", cell: (school) => SCHOOL_LEVEL_LABELS[school.level] },
  { id: "code", header: "Code", className: "cell-muted", cell: (school) => school.code ?? "—", isEmpty: (school) => !school.code },
  { id: "people", header: "People", className: "cell-number", cell: (school) => school.peopleCount?.toLocaleString() ?? "—" },
  { id: "status", header: "Status", cell: (school) => <StatusBadge status={school.status} /> },
];

export function SchoolsListPage() {
  useDocumentTitle("Schools");
  const isAdmin = useIsDistrictAdmin();
  const { searchParams, setFilter, clearFilters } = useUrlFilters();
  const q = searchParams.get("q") ?? "";
  const level = parseLevel(searchParams.get("level"));
  const statusParam = searchParams.get("status");
  const status = statusParam === "inactive" || statusParam === "all" ? statusParam : "active";
  const pages = useCursorStack(JSON.stringify({ q, level, status }));

  const query: SchoolsQuery = { limit: PAGE_SIZE, q: q || undefined, level, status, cursor: pages.cursor };
  const schools = useQuery({ ...directoryQueries.schools(query), placeholderData: keepPreviousData });
  const hasFilters = Boolean(q || level || status !== "active");

  return (
    <ListPage
      title="Directory"
      description="Everyone in the district: staff, students and their roles at each school."
      actions={
        isAdmin ? (
          <Link className="button button--primary" to="/directory/schools/new">
            <Icon name="plus" size={16} />
            Add school
          </Link>
        ) : null
      }
      tabs={<DirectoryTabs />}
      filtersLabel="Filter schools"
      filters={
        <>
          <SearchInput label="Search" value={q} placeholder="School name" onSearch={(value) => setFilter("q", value)} />
          <SelectField
            label="Level"
            value={level ?? ""}
            onChange={(value) => setFilter("level", value)}
            options={[{ value: "", label: "Any level" }, ...SCHOOL_LEVELS.map((l) => ({ value: l, label: SCHOOL_LEVEL_LABELS[l] }))]}
          />
          <SelectField
            label="Status"
            value={status}
            onChange={(value) => setFilter("status", value, "active")}
            options={[
              { value: "active", label: "Active" },
              { value: "inactive", label: "Inactive" },
              { value: "all", label: "All" },
            ]}
          />
        </>
      }
      query={schools}
      pages={pages}
      pageSize={PAGE_SIZE}
      noun="schools"
      count={(total) => formatCount(total, "school")}
      loadingLabel="Loading schools…"
      empty={
        hasFilters ? (
          <EmptyState
            title="No schools match these filters"
            action={
              <button type="button" className="button" onClick={clearFilters}>
                Clear filters
              </button>
            }
          >
            Try another search or level, or include inactive schools.
          </EmptyState>
        ) : (
          <EmptyState
            title="No schools yet"
            action={
              isAdmin ? (
                <Link className="button button--primary" to="/directory/schools/new">
                  Add the first school
                </Link>
              ) : null
            }
          >
            Add your district's schools so people's roles can be scoped to them.
          </EmptyState>
        )
      }
    >
      {(list) => <DataTable rows={list.items} columns={COLUMNS} rowKey={(school) => school.id} caption="Schools" />}
    </ListPage>
  );
}
