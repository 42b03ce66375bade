import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { STUDENT_ROLES } from "../../../../shared/roles.js";
import type { TPerson } from "../../../../shared/schemas/people.js";
import { ApiError, asApiError } from "../../api/client.js";
import { directoryKeys, directoryQueries, peopleApi } from "./api.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { RoleList, StatusBadge } from "../../components/RoleList.js";
import { formatDateTime, initials, isStudent } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useIsDistrictAdmin, useMe } from "../../lib/session.js";
import { PersonClassesSection } from "./SchoolRosterSection.js";
import { PersonCoachingSection } from "./PersonCoachingSection.js";
import { PersonDevicesSection } from "../devices/PersonDevicesSection.js";
import { PersonForm, personToValues, toUpdateRequest } from "./PersonForm.js";

export function PersonPage() {
  const { id = "" } = useParams();
  const person = useQuery(directoryQueries.person(id));
  const queryClient = useQueryClient();
  useDocumentTitle(person.data?.displayName ?? (person.error ? "Person" : "Loading…"));

  if (person.error) {
    const isForbidden = person.error.status === 403;
    const isMissing = person.error.status === 404;
    return (
      <>
        <PageHeader
          title={isForbidden ? "You don't have access to this person" : isMissing ? "Not found" : "Person"}
          breadcrumb={{ to: "/directory/people", label: "People" }}
        />
        {isForbidden || isMissing ? (
          <div className="state state--compact">
            <p className="state__text">
              {isForbidden
                ? "Your roles do not cover this person's school. Ask a district admin if you need access."
                : "No one in the directory has this address. They may have been removed, or the link is incomplete."}
            </p>
            <Link className="button" to="/directory/people">
              Back to people
            </Link>
          </div>
        ) : (
          <ErrorState error={person.error} onRetry={() => void person.refetch()} />
        )}
      </>
    );
  }
  if (!person.data) {
    return (
      <>
        <PageHeader title="Person" breadcrumb={{ to: "/directory/people", label: "People" }} />
        <Spinner label="Loading person…" />
      </>
    );
  }
  return <PersonDetails key={person.data.id} person={person.data} onChange={(updated) => {
        queryClient.setQueryData(directoryKeys.person(updated.id), updated);
        void queryClient.invalidateQueries({ queryKey: directoryKeys.all, predicate: (q) => q.queryKey[2] === "list" });
      }} />;
}

function PersonDetails({ person, onChange }: { person: TPerson; onChange: (person: TPerson) => void }) {
  const me = useMe();
  const isAdmin = useIsDistrictAdmin();
  const location = useLocation();
  const [isEditing, setIsEditing] = useState(false);
  const [isConfirmingStatus, setIsConfirmingStatus] = useState(false);
  const [isChangingStatus, setIsChangingStatus] = useState(false);
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(readNotice(location.state));
  const isSelf = person.id === me.person.id;
  const tz = me.district.timezone;

  const changeStatus = async () => {
    setIsChangingStatus(true);
    setStatusError(null);
    try {
      const updated =
        person.status === "active" ? await peopleApi.deactivate(person.id) : await peopleApi.reactivate(person.id);
      onChange(updated);
      setNotice(
        updated.status === "active"
          ? `${updated.displayName} is active again.`
          : `${updated.displayName} was deactivated and can no longer sign in.`,
      );
      setIsConfirmingStatus(false);
    } catch (cause) {
      setStatusError(asApiError(cause));
    } finally {
      setIsChangingStatus(false);
    }
  };

  return (
    <>
      <PageHeader
        breadcrumb={{ to: "/directory/people", label: "People" }}
        title={
          <span className="title-with-avatar">
            <span className="avatar avatar--lg" aria-hidden="true">
              {initials(person)}
            </span>
            <span>{person.displayName}</span>
            <StatusBadge status={person.status} />
          </span>
        }
        actions={
          isAdmin && !isEditing ? (
            <>
              <button type="button" className="button" onClick={() => setIsEditing(true)}>
                Edit
              </button>
              {!isSelf ? (
                <button
                  type="button"
                  className={person.status === "active" ? "button button--danger-quiet" : "button"}
                  onClick={() => setIsConfirmingStatus(true)}
                  disabled={isConfirmingStatus}
                >
                  {person.status === "active" ? "Deactivate" : "Reactivate"}
                </button>
              ) : null}
            </>
          ) : null
        }
      />

      {notice ? <Notice tone="success">{notice}</Notice> : null}

      {isConfirmingStatus ? (
        <div className="confirm" role="group" aria-labelledby="confirm-status-title">
          <h2 id="confirm-status-title" className="confirm__title">
            {person.status === "active" ? `Deactivate ${person.displayName}?` : `Reactivate ${person.displayName}?`}
          </h2>
          <p className="confirm__text">
            {person.status === "active"
              ? "They will be signed out everywhere and cannot sign in. Their records stay, and you can reactivate them later."
              : "They will be able to sign in again with their existing account."}
          </p>
          <FormAlert error={statusError} />
          <div className="form__actions">
            <button
              type="button"
              className={person.status === "active" ? "button button--danger" : "button button--primary"}
              onClick={() => void changeStatus()}
              disabled={isChangingStatus}
            >
              {isChangingStatus ? "Saving…" : person.status === "active" ? "Deactivate" : "Reactivate"}
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                setIsConfirmingStatus(false);
                setStatusError(null);
              }}
              disabled={isChangingStatus}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {isEditing ? (
        <section className="section" aria-labelledby="edit-person-title">
          <h2 id="edit-person-title" className="section__title">
            Edit details
          </h2>
          <PersonForm
            initialValues={personToValues(person)}
            isNew={false}
            submitLabel="Save changes"
            onCancel={() => setIsEditing(false)}
            onSubmit={async (values) => {
              const changes = toUpdateRequest(values, person);
              if (Object.keys(changes).length > 0) onChange(await peopleApi.update(person.id, changes));
              setIsEditing(false);
              setNotice(Object.keys(changes).length > 0 ? "Changes saved." : "Nothing to save: no changes.");
            }}
          />
        </section>
      ) : (
        <div className="detail-grid">
          <section className="panel" aria-labelledby="person-details-title">
            <h2 id="person-details-title" className="panel__title">
              Details
            </h2>
            <dl className="description-list">
              <div>
                <dt>Email</dt>
                <dd>{person.email ? <a href={`mailto:${person.email}`}>{person.email}</a> : <span className="muted">None</span>}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={person.status} />
                </dd>
              </div>
              {isStudent(person) ? (
                <>
                  <div>
                    <dt>Grade level</dt>
                    <dd>{person.gradeLevel ?? <span className="muted">Not set</span>}</dd>
                  </div>
                  <div>
                    <dt>Student number</dt>
                    <dd>{person.studentNumber ?? <span className="muted">Not set</span>}</dd>
                  </div>
                </>
              ) : null}
              {person.sourcedId ? (
                <div>
                  <dt>Roster ID</dt>
                  <dd className="cell-mono" title="The OneRoster sourcedId from the student information system">
                    {person.sourcedId}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Sign-in</dt>
                <dd>{person.hasPassword ? "Has a password" : <span className="muted">No password set</span>}</dd>
              </div>
              <div>
                <dt>Added</dt>
                <dd>{formatDateTime(person.createdAt, tz)}</dd>
              </div>
              <div>
                <dt>Last updated</dt>
                <dd>{formatDateTime(person.updatedAt, tz)}</dd>
              </div>
            </dl>
          </section>
          <section className="panel" aria-labelledby="person-roles-title">
            <h2 id="person-roles-title" className="panel__title">
              Roles
            </h2>
            <RoleList roles={person.roles} isLinked />
            {isAdmin ? (
              <p className="panel__footer">
                <Link to={`/settings/audit?subjectId=${encodeURIComponent(person.id)}`}>
                  <Icon name="shield" size={16} />
                  View audit log for this person
                </Link>
              </p>
            ) : null}
            {isSelf ? (
              <p className="panel__footer">
                This is you. <Link to="/profile">Edit your profile</Link> to change your name or password.
              </p>
            ) : null}
          </section>
        </div>
      )}
      {!isEditing && person.roles.some((r) => r.role === "teacher" || STUDENT_ROLES.includes(r.role)) ? (
        <PersonClassesSection personId={person.id} personName={person.displayName} />
      ) : null}
      {!isEditing && person.roles.some((r) => r.role === "teacher") ? <PersonCoachingSection personId={person.id} personName={person.displayName} /> : null}
      {!isEditing ? <PersonDevicesSection personId={person.id} /> : null}
    </>
  );
}
