import { canSeeSchoolDashboard } from "../../../../shared/policy/coaching.js";
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { SCHOOL_LEVEL_LABELS } from "../../../../shared/roles.js";
import type { TSchool, TUpdateSchoolRequest } from "../../../../shared/schemas/schools.js";
import { directoryKeys, directoryQueries, schoolsApi, type PeopleQuery } from "./api.js";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { EmptyState, ErrorState, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { useCursorStack } from "../../components/Pagination.js";
import { ListView } from "../../kits/ListPage.js";
import { StatusBadge } from "../../components/RoleList.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useIsDistrictAdmin, useMe } from "../../lib/session.js";
import { peopleScope } from "../../../../shared/policy/people.js";
import { Icon } from "../../components/Icon.js";
import { PeopleTable } from "./PeopleTable.js";
import { SchoolForm, schoolToValues } from "./SchoolForm.js";
import { SchoolRosterSection } from "./SchoolRosterSection.js";

const PAGE_SIZE = 50;

export function SchoolPage() {
  const { id = "" } = useParams();
  const school = useQuery(directoryQueries.school(id));
  const queryClient = useQueryClient();
  useDocumentTitle(school.data?.name ?? (school.error ? "School" : "Loading…"));

  if (school.error) {
    return (
      <>
        <PageHeader
          title={school.error.status === 404 ? "Not found" : "School"}
          breadcrumb={{ to: "/directory/schools", label: "Schools" }}
        />
        {school.error.status === 404 ? (
          <div className="state state--compact">
            <p className="state__text">There is no school at this address.</p>
            <Link className="button" to="/directory/schools">
              Back to schools
            </Link>
          </div>
        ) : (
          <ErrorState error={school.error} onRetry={() => void school.refetch()} />
        )}
      </>
    );
  }
  if (!school.data) {
    return (
      <>
        <PageHeader title="School" breadcrumb={{ to: "/directory/schools", label: "Schools" }} />
        <Spinner label="Loading school…" />
      </>
    );
  }
  return <SchoolDetails key={school.data.id} school={school.data} onChange={(updated) => {
        queryClient.setQueryData(directoryKeys.school(updated.id), updated);
        void queryClient.invalidateQueries({ queryKey: directoryKeys.all, predicate: (q) => q.queryKey[2] === "list" });
      }} />;
}

function SchoolDetails({ school, onChange }: { school: TSchool; onChange: (school: TSchool) => void }) {
  const isAdmin = useIsDistrictAdmin();
  const location = useLocation();
  const [isEditing, setIsEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(readNotice(location.state));

  return (
    <>
      <PageHeader
        breadcrumb={{ to: "/directory/schools", label: "Schools" }}
        title={
          <span className="title-with-avatar">
            <span>{school.name}</span>
            <StatusBadge status={school.status} />
          </span>
        }
        description={
          <>
            {SCHOOL_LEVEL_LABELS[school.level]} school
            {school.code ? ` · Code ${school.code}` : ""}
            {school.peopleCount !== undefined ? ` · ${formatCount(school.peopleCount, "person", "people")}` : ""}
          </>
        }
        actions={
          isAdmin && !isEditing ? (
            <button type="button" className="button" onClick={() => setIsEditing(true)}>
              Edit
            </button>
          ) : null
        }
      />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <SchoolCoachingLink schoolId={school.id} />
      {isEditing ? (
        <section className="section" aria-labelledby="edit-school-title">
          <h2 id="edit-school-title" className="section__title">
            Edit school
          </h2>
          <SchoolForm
            initialValues={schoolToValues(school)}
            isNew={false}
            submitLabel="Save changes"
            onCancel={() => setIsEditing(false)}
            onSubmit={async (values) => {
              // Send only what changed, so the audit log says what was edited.
              const changes: TUpdateSchoolRequest = {};
              if (values.name !== school.name) changes.name = values.name;
              if (values.level !== school.level) changes.level = values.level;
              if (values.code !== school.code) changes.code = values.code;
              if (values.status !== school.status) changes.status = values.status;
              if (Object.keys(changes).length > 0) {
                const updated = await schoolsApi.update(school.id, changes);
                onChange({ ...updated, peopleCount: updated.peopleCount ?? school.peopleCount });
              }
              setIsEditing(false);
              setNotice(Object.keys(changes).length > 0 ? "Changes saved." : "Nothing to save: no changes.");
            }}
          />
        </section>
      ) : null}
      <SchoolRosterSection schoolId={school.id} schoolName={school.name} />
      <SchoolPeople school={school} />
    </>
  );
}

/** What the reader may see of a school's people: everyone, its staff only, or none of them (another school). */
function useSchoolPeopleAccess(schoolId: string): "all" | "staff" | "none" {
  const scope = peopleScope(useMe().person);
  if (scope.kind === "district") return "all";
  if (scope.kind === "none") return "none";
  if (scope.fullSchoolIds.includes(schoolId)) return "all";
  return scope.staffSchoolIds.includes(schoolId) ? "staff" : "none";
}

function SchoolPeople({ school }: { school: TSchool }) {
  const access = useSchoolPeopleAccess(school.id);
  if (access === "none") {
    return (
      <section className="section" aria-labelledby="school-people-title">
        <h2 id="school-people-title" className="section__title">
          People
        </h2>
        <p className="state__text">
          Your role does not include the people at {school.name}: the directory shows you the people at your own schools.
        </p>
      </section>
    );
  }
  return <SchoolPeopleList school={school} staffOnly={access === "staff"} />;
}

function SchoolPeopleList({ school, staffOnly }: { school: TSchool; staffOnly: boolean }) {
  const pages = useCursorStack(school.id);
  const query: PeopleQuery = { schoolId: school.id, limit: PAGE_SIZE, cursor: pages.cursor };
  const people = useQuery({ ...directoryQueries.people(query), placeholderData: keepPreviousData });
  const list = people.data;

  return (
    <section className="section" aria-labelledby="school-people-title">
      <div className="section__header">
        <h2 id="school-people-title" className="section__title">
          {staffOnly ? "Staff" : "People"}{" "}
          {list ? <span className="count">{`${list.total.toLocaleString()}${list.totalIsCapped ? "+" : ""}`}</span> : null}
        </h2>
        <Link to={`/directory/people?schoolId=${encodeURIComponent(school.id)}`}>Search and filter in the directory</Link>
      </div>
      <ListView
        query={people}
        pages={pages}
        pageSize={PAGE_SIZE}
        noun="people"
        loadingLabel="Loading people…"
        empty={<EmptyState title="No one at this school yet">Give someone a role at {school.name} and they will appear here.</EmptyState>}
      >
        {(page) => <PeopleTable people={page.items} caption={`${staffOnly ? "Staff" : "People"} at ${school.name}`} />}
      </ListView>
    </section>
  );
}

/** A link to the school's coaching dashboard, for those who may see it (admins, its coaches and leaders). */
function SchoolCoachingLink({ schoolId }: { schoolId: string }) {
  const me = useMe();
  if (!canSeeSchoolDashboard(me.person, schoolId)) return null;
  return (
    <p className="school-coaching-link">
      <Link to={`/coaching/dashboard?scope=school&schoolId=${encodeURIComponent(schoolId)}`}>
        <Icon name="coaching" size={16} /> Coaching dashboard for this school
      </Link>
    </p>
  );
}
