import { useState } from "react";
import { Link } from "react-router-dom";
import type { TEntry } from "../../../../shared/schemas/coaching.js";
import { asApiError } from "../../api/client.js";
import { coachingApi, coachingQueries, useInvalidateCoaching, type EntriesQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, PageHeader } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListView, useUrlFilters } from "../../kits/ListPage.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { useCoachingAccess } from "./access.js";
import { formatDateShort, isIsoDate } from "./calendar.js";
import { useActiveCycles, useCategories, useCoachSchools } from "./data.js";
import { PersonPicker } from "./PersonPicker.js";
import { EditEntryDialog } from "./EditEntryDialog.js";
import { formatMinutes, KIND_LABELS } from "./format.js";

const PAGE_SIZE = 50;

/** Every entry of the coach's log with filters, paging, edit and delete, and the CSV export and import. */
export function EntriesPage() {
  useDocumentTitle("All entries");
  const me = useMe();
  const access = useCoachingAccess();
  const { searchParams, setFilter, setFilters, clearFilters } = useUrlFilters();
  const from = isIsoDate(searchParams.get("from")) ? (searchParams.get("from") ?? "") : "";
  const to = isIsoDate(searchParams.get("to")) ? (searchParams.get("to") ?? "") : "";
  const categoryId = searchParams.get("categoryId") ?? "";
  const schoolId = searchParams.get("schoolId") ?? "";
  // A district admin reads the district's whole log, or one coach's; everyone else their own.
  const isAdmin = access.isAdmin;
  const coachId = isAdmin ? (searchParams.get("coachId") ?? "") : "";
  const coachName = searchParams.get("coachName") ?? "";
  const filters: Omit<EntriesQuery, "limit" | "cursor"> = {
    from: from || undefined,
    to: to || undefined,
    categoryId: categoryId || undefined,
    schoolId: schoolId || undefined,
    ...(isAdmin ? { allCoaches: "true" as const, coachId: coachId || undefined } : {}),
  };
  const showsOthers = isAdmin && coachId !== me.person.id;
  const pages = useCursorStack(JSON.stringify(filters));
  const { categories, colors } = useCategories();
  const { schools } = useCoachSchools(access);
  const cycles = useActiveCycles(me.person.id);
  const [editing, setEditing] = useState<TEntry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const query: EntriesQuery = { ...filters, limit: PAGE_SIZE, cursor: pages.cursor };
  const entries = useQuery({ ...coachingQueries.entries(query), placeholderData: keepPreviousData });
  const invalidate = useInvalidateCoaching();
  const list = entries.data;
  const hasFilters = Boolean(from || to || categoryId || schoolId || coachId);


  const onDeleted = (entry: TEntry) => {
    setNotice(`Deleted ${entry.category.name}, ${formatMinutes(entry.minutes)} on ${formatDateShort(entry.date)}.`);
    void invalidate();
  };

  return (
    <>
      <PageHeader
        title="All entries"
        description={
          isAdmin
            ? "Every coach's log in the district: filter by coach, school, category or dates, and export it. Your own entries can be fixed here."
            : "Your whole coaching log. Filter it, fix an entry, export it, or bring in the log you kept in Google Forms."
        }
        actions={
          <>
            <a className="button" href={coachingApi.entriesCsvUrl(filters)} download>
              <Icon name="download" size={16} />
              Export CSV
            </a>
            <Link className="button" to="/coaching/import">
              Import from Google Forms
            </Link>
          </>
        }
      />

      <div className="filters filters--entries" role="search" aria-label="Filter entries">
        <div className="field">
          <label className="field__label" htmlFor="entries-from">
            From
          </label>
          <input id="entries-from" className="input" type="date" value={from} max={to || undefined} onChange={(e) => setFilter("from", e.target.value)} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="entries-to">
            To
          </label>
          <input id="entries-to" className="input" type="date" value={to} min={from || undefined} onChange={(e) => setFilter("to", e.target.value)} />
        </div>
        <SelectField
          label="Category"
          value={categoryId}
          onChange={(value) => setFilter("categoryId", value)}
          options={[{ value: "", label: "Any category" }, ...categories.map((c) => ({ value: c.id, label: `${c.name}${c.status === "retired" ? " (retired)" : ""}` }))]}
        />
        <SelectField
          label="School"
          value={schoolId}
          onChange={(value) => setFilter("schoolId", value)}
          options={[{ value: "", label: "Any school" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
        />
        {isAdmin ? (
          <PersonPicker
            label="Coach"
            role="coach"
            noun="coaches"
            isMultiple={false}
            isOptional
            placeholder="All coaches"
            value={coachId ? [{ id: coachId, name: coachName || "Chosen coach" }] : []}
            onChange={(value) => setFilters({ coachId: value[0]?.id ?? "", coachName: value[0]?.name ?? "" })}
          />
        ) : null}
      </div>

      <div className="list-meta" aria-live="polite">
        {list ? (
          <span>
            {formatCount(list.total, "entry", "entries")}
            {list.items.length > 0 ? ` · ${formatMinutes(list.items.reduce((s, e) => s + e.minutes, 0))} on this page` : ""}
          </span>
        ) : null}
        {entries.isFetching && list ? <span className="spinner spinner--inline" aria-label="Updating" /> : null}
        {notice ? <span className="list-meta__notice">{notice}</span> : null}
      </div>

      <ListView
        query={entries}
        pages={pages}
        pageSize={PAGE_SIZE}
        noun="entries"
        loadingLabel="Loading entries…"
        empty={
          hasFilters ? (
            <EmptyState
              title="No entries match these filters"
              action={
                <button type="button" className="button" onClick={clearFilters}>
                  Clear filters
                </button>
              }
            >
              Try a wider date range, another category or another school.
            </EmptyState>
          ) : (
            isAdmin ? (
              <EmptyState title="No coach has logged anything yet">
                Entries appear here as coaches log their work or import the logs they kept in Google Forms.
              </EmptyState>
            ) : <EmptyState
              title="Your log is empty"
              action={
                <div className="state__actions">
                  <Link className="button button--primary" to="/coaching">
                    Log an activity
                  </Link>
                  <Link className="button" to="/coaching/import">
                    Import from Google Forms
                  </Link>
                </div>
              }
            >
              Log what you did today, or bring in the coaching log you kept in Google Forms.
            </EmptyState>
          )
        }
      >
        {(page) => (
          <DataTable
            rows={page.items}
            columns={entryColumns({ colors, onEdit: setEditing, onDeleted, myId: me.person.id, showCoach: showsOthers })}
            rowKey={(entry) => entry.id}
            caption="Coaching log entries"
            className="entries-table-wrap"
          />
        )}
      </ListView>

      <EditEntryDialog
        entry={editing}
        categories={categories}
        colors={colors}
        schools={schools}
        cycles={cycles}
        onClose={() => setEditing(null)}
        onSaved={(entry) => {
          setEditing(null);
          setNotice(`Saved changes to ${entry.category.name} on ${formatDateShort(entry.date)}.`);
          void invalidate();
        }}
        onDeleted={(entry) => {
          setEditing(null);
          onDeleted(entry);
        }}
      />
    </>
  );
}

function entryColumns({
  colors,
  onEdit,
  onDeleted,
  myId,
  showCoach,
}: {
  colors: Map<string, string>;
  onEdit: (entry: TEntry) => void;
  onDeleted: (entry: TEntry) => void;
  myId: string;
  showCoach: boolean;
}): Column<TEntry>[] {
  const none = <span className="cell-muted">—</span>;
  return [
    { id: "date", header: "Date", className: "cell-nowrap", cell: (entry) => formatDateShort(entry.date) },
    ...(showCoach ? [{ id: "coach", header: "Coach", cell: (entry: TEntry) => entry.coach.name }] : []),
    {
      id: "activity",
      header: "Activity",
      isPrimary: true,
      cell: (entry) => (
        <span className="activity-cell">
          <span className="activity-cell__dot" style={{ background: colors.get(entry.category.id) }} aria-hidden="true" />
          <span>
            {entry.category.name}
            <span className={`kind-tag kind-tag--${entry.category.kind}`}>{KIND_LABELS[entry.category.kind]}</span>
          </span>
        </span>
      ),
    },
    { id: "time", header: "Time", className: "cell-number cell-nowrap", cell: (entry) => formatMinutes(entry.minutes) },
    { id: "school", header: "School", cell: (entry) => entry.school?.name ?? none, isEmpty: (entry) => !entry.school },
    {
      id: "teachers",
      header: "Teachers",
      cell: (entry) => (entry.teachers.length > 0 ? entry.teachers.map((t) => t.name).join(", ") : none),
      isEmpty: (entry) => entry.teachers.length === 0,
    },
    { id: "notes", header: "Notes", className: "entries-table__notes", cell: (entry) => entry.notes || none, isEmpty: (entry) => !entry.notes },
    {
      id: "actions",
      header: "Actions",
      className: "cell-nowrap",
      // Only a coach changes their own log; an admin reads the others'.
      cell: (entry) => (entry.coach.id === myId ? <EntryActions entry={entry} onEdit={onEdit} onDeleted={onDeleted} /> : none),
      isEmpty: (entry) => entry.coach.id !== myId,
    },
  ];
}

/** Edit, and delete after a confirmation, for one entry (its own state, so each row confirms alone). */
function EntryActions({
  entry,
  onEdit,
  onDeleted,
}: {
  entry: TEntry;
  onEdit: (entry: TEntry) => void;
  onDeleted: (entry: TEntry) => void;
}) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = `${entry.category.name} on ${formatDateShort(entry.date)}`;

  const remove = async () => {
    setIsDeleting(true);
    try {
      await coachingApi.deleteEntry(entry.id);
      onDeleted(entry);
    } catch (cause) {
      setError(asApiError(cause).message);
      setIsDeleting(false);
    }
  };

  return (
    <>
        {error ? (
          <span className="field__error" role="alert">
            {error}
          </span>
        ) : null}
        {isConfirming ? (
          <span className="row-confirm" role="group" aria-label={`Confirm deleting ${name}`}>
            <button type="button" className="button button--small button--danger" onClick={() => void remove()} disabled={isDeleting}>
              {isDeleting ? "Deleting…" : "Delete"}
            </button>
            <button type="button" className="button button--small" onClick={() => setIsConfirming(false)} disabled={isDeleting} autoFocus>
              Keep
            </button>
          </span>
        ) : (
          <span className="row-actions">
            <button type="button" className="button button--small button--ghost" onClick={() => onEdit(entry)} aria-label={`Edit ${name}`}>
              Edit
            </button>
            <button
              type="button"
              className="button button--small button--ghost button--danger-quiet"
              onClick={() => setIsConfirming(true)}
              aria-label={`Delete ${name}`}
            >
              Delete
            </button>
          </span>
        )}
    </>
  );
}
