import { Link, useSearchParams } from "react-router-dom";
import { SCHOOL_LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "../../../../shared/roles.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { directoryQueries, type SchoolsQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { Pagination, useCursorStack } from "../../components/Pagination.js";
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

export function SchoolsListPage() {
  useDocumentTitle("Schools");
  const isAdmin = useIsDistrictAdmin();
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get("q") ?? "";
  const level = parseLevel(searchParams.get("level"));
  const statusParam = searchParams.get("status");
  const status = statusParam === "inactive" || statusParam === "all" ? statusParam : "active";
  const pages = useCursorStack(JSON.stringify({ q, level, status }));

  const query: SchoolsQuery = { limit: PAGE_SIZE, q: q || undefined, level, status, cursor: pages.cursor };
  const schools = useQuery({ ...directoryQueries.schools(query), placeholderData: keepPreviousData });

  const setFilter = (name: string, value: string, defaultValue = "") => {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === defaultValue) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  };

  const list = schools.data;
  const hasFilters = Boolean(q || level || status !== "active");

  return (
    <>
      <PageHeader
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
      />
      <DirectoryTabs />

      <div className="filters" role="search" aria-label="Filter schools">
        <SearchInput label="Search" value={q} placeholder="School name" onSearch={(value) => setFilter("q", value)} />
        <SelectField
          label="Level"
          value={level ?? ""}
          onChange={(value) => setFilter("level", value)}
          options={[
            { value: "", label: "Any level" },
            ...SCHOOL_LEVELS.map((l) => ({ value: l, label: SCHOOL_LEVEL_LABELS[l] })),
          ]}
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
      </div>

      <div className="list-meta" aria-live="polite">
        {list ? <span>{formatCount(list.total, "school")}</span> : null}
        {schools.isFetching && list ? <span className="spinner spinner--inline" aria-label="Updating" /> : null}
      </div>

      {schools.error ? (
        <ErrorState error={schools.error} onRetry={() => void schools.refetch()} />
      ) : !list ? (
        <Spinner label="Loading schools…" />
      ) : list.items.length === 0 ? (
        hasFilters ? (
          <EmptyState
            title="No schools match these filters"
            action={
              <button type="button" className="button" onClick={() => setSearchParams({}, { replace: true })}>
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
      ) : (
        <div className={schools.isFetching ? "is-refreshing" : undefined}>
          <div className="table-wrap only-wide">
            <table className="table">
              <caption className="visually-hidden">Schools</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Level</th>
                  <th scope="col">Code</th>
                  <th scope="col" className="cell-number">
                    People
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((school) => (
                  <tr key={school.id}>
                    <td>
                      <Link className="strong-link" to={schoolPath(school)}>
                        {school.name}
                      </Link>
                    </td>
                    <td>{SCHOOL_LEVEL_LABELS[school.level]}</td>
                    <td className="cell-muted">{school.code ?? "—"}</td>
                    <td className="cell-number">{school.peopleCount?.toLocaleString() ?? "—"}</td>
                    <td>
                      <StatusBadge status={school.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="card-list only-narrow" aria-label="Schools">
            {list.items.map((school) => (
              <li key={school.id} className="list-card">
                <div className="list-card__head">
                  <Link className="list-card__title" to={schoolPath(school)}>
                    {school.name}
                  </Link>
                  <StatusBadge status={school.status} />
                </div>
                <p className="list-card__meta">
                  {SCHOOL_LEVEL_LABELS[school.level]}
                  {school.code ? ` · ${school.code}` : ""}
                  {school.peopleCount !== undefined ? ` · ${formatCount(school.peopleCount, "person", "people")}` : ""}
                </p>
              </li>
            ))}
          </ul>
          <Pagination pages={pages} list={list} pageSize={PAGE_SIZE} isLoading={schools.isFetching} noun="schools" />
        </div>
      )}
    </>
  );
}
