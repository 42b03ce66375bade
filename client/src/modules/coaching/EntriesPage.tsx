import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { TEntry } from "../../../../shared/schemas/coaching.js";
import { asApiError } from "../../api/client.js";
import { coachingApi, coachingQueries, useInvalidateCoaching, type EntriesQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { Pagination, useCursorStack } from "../../components/Pagination.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { useCoachingAccess } from "./access.js";
import { formatDateShort, isIsoDate } from "./calendar.js";
import { useActiveCycles, useCategories, useCoachSchools } from "./data.js";
import { EditEntryDialog } from "./EditEntryDialog.js";
import { EntryCard } from "./EntryCard.js";
import { formatMinutes, KIND_LABELS } from "./format.js";

const PAGE_SIZE = 50;

/** Every entry of the coach's log with filters, paging, edit and delete, and the CSV export and import. */
export function EntriesPage() {
  useDocumentTitle("All entries");
  const me = useMe();
  const access = useCoachingAccess();
  const [searchParams, setSearchParams] = useSearchParams();
  const from = isIsoDate(searchParams.get("from")) ? (searchParams.get("from") ?? "") : "";
  const to = isIsoDate(searchParams.get("to")) ? (searchParams.get("to") ?? "") : "";
  const categoryId = searchParams.get("categoryId") ?? "";
  const schoolId = searchParams.get("schoolId") ?? "";
  const filters = { from: from || undefined, to: to || undefined, categoryId: categoryId || undefined, schoolId: schoolId || undefined };
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
  const hasFilters = Boolean(from || to || categoryId || schoolId);

  const setFilter = (name: string, value: string) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const onDeleted = (entry: TEntry) => {
    setNotice(`Deleted ${entry.category.name}, ${formatMinutes(entry.minutes)} on ${formatDateShort(entry.date)}.`);
    void invalidate();
  };

  return (
    <>
      <PageHeader
        title="All entries"
        description="Your whole coaching log. Filter it, fix an entry, export it, or bring in the log you kept in Google Forms."
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

      {entries.error ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !list ? (
        <Spinner label="Loading entries…" />
      ) : list.items.length === 0 ? (
        hasFilters ? (
          <EmptyState
            title="No entries match these filters"
            action={
              <button type="button" className="button" onClick={() => setSearchParams({}, { replace: true })}>
                Clear filters
              </button>
            }
          >
            Try a wider date range, another category or another school.
          </EmptyState>
        ) : (
          <EmptyState
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
      ) : (
        <div className={entries.isFetching ? "is-refreshing" : undefined}>
          <div className="table-wrap only-wide">
            <table className="table entries-table">
              <caption className="visually-hidden">Coaching log entries</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Activity</th>
                  <th scope="col" className="cell-number">
                    Time
                  </th>
                  <th scope="col">School</th>
                  <th scope="col">Teachers</th>
                  <th scope="col">Notes</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((entry) => (
                  <EntryRow key={entry.id} entry={entry} color={colors.get(entry.category.id)} onEdit={setEditing} onDeleted={onDeleted} />
                ))}
              </tbody>
            </table>
          </div>
          <ul className="entry-list only-narrow">
            {list.items.map((entry) => (
              <EntryCard
                key={entry.id}
                entry={entry}
                color={colors.get(entry.category.id)}
                onEdit={setEditing}
                onDeleted={onDeleted}
                showDate={formatDateShort(entry.date)}
              />
            ))}
          </ul>
          <Pagination pages={pages} list={list} pageSize={PAGE_SIZE} isLoading={entries.isFetching} noun="entries" />
        </div>
      )}

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

function EntryRow({
  entry,
  color,
  onEdit,
  onDeleted,
}: {
  entry: TEntry;
  color: string | undefined;
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
    <tr>
      <td className="cell-nowrap">{formatDateShort(entry.date)}</td>
      <td>
        <span className="activity-cell">
          <span className="activity-cell__dot" style={{ background: color }} aria-hidden="true" />
          <span>
            {entry.category.name}
            <span className={`kind-tag kind-tag--${entry.category.kind}`}>{KIND_LABELS[entry.category.kind]}</span>
          </span>
        </span>
      </td>
      <td className="cell-number cell-nowrap">{formatMinutes(entry.minutes)}</td>
      <td>{entry.school?.name ?? <span className="cell-muted">—</span>}</td>
      <td>{entry.teachers.length > 0 ? entry.teachers.map((t) => t.name).join(", ") : <span className="cell-muted">—</span>}</td>
      <td className="entries-table__notes">{entry.notes || <span className="cell-muted">—</span>}</td>
      <td className="cell-nowrap">
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
      </td>
    </tr>
  );
}
