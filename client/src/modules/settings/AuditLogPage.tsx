import { useId, useState } from "react";
import { Link } from "react-router-dom";
import { AUDIT_ACTION_LABELS, auditActionLabel } from "../../../../shared/audit-actions.js";
import type { TAuditEntry } from "../../../../shared/schemas/audit.js";
import { auditApi, settingsQueries, type AuditQuery } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListView, useUrlFilters } from "../../kits/ListPage.js";
import { formatCount, formatDateTime } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin, useMe } from "../../lib/session.js";

const PAGE_SIZE = 50;
const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label));
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function AuditLogPage() {
  useDocumentTitle("Audit log");
  const isAdmin = useIsDistrictAdmin();
  if (!isAdmin) {
    return (
      <div className="state state--error" role="alert">
        <h2 className="state__title">You don't have access to the audit log</h2>
        <p className="state__text">Only district admins can see who viewed and changed records.</p>
      </div>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const me = useMe();
  const { searchParams, setFilter, clearFilters } = useUrlFilters();
  const action = searchParams.get("action") ?? "";
  const actorId = searchParams.get("actorId") ?? "";
  const subjectId = searchParams.get("subjectId") ?? "";
  const fromParam = searchParams.get("from") ?? "";
  const toParam = searchParams.get("to") ?? "";
  const from = DATE_PATTERN.test(fromParam) ? fromParam : "";
  const to = DATE_PATTERN.test(toParam) ? toParam : "";
  const isRangeInverted = Boolean(from && to && from > to);

  // Names for the filter chips, remembered from the row that was clicked.
  const [names, setNames] = useState<Record<string, string>>({});

  const filters: AuditQuery = {
    action: action || undefined,
    actorId: actorId || undefined,
    subjectId: subjectId || undefined,
    from: from || undefined,
    to: to || undefined,
  };
  const pages = useCursorStack(JSON.stringify(filters));
  const query: AuditQuery = { ...filters, limit: PAGE_SIZE, cursor: pages.cursor };
  const entries = useQuery({ ...settingsQueries.audit(query), enabled: !isRangeInverted, placeholderData: keepPreviousData });


  const filterBy = (name: "actorId" | "subjectId", id: string, label: string) => {
    setNames((n) => ({ ...n, [id]: label }));
    setFilter(name, id);
  };

  const list = entries.data;
  const items = list?.items ?? [];
  const nameOf = (id: string, pick: (e: TAuditEntry) => [string | null, string | null]) => {
    if (names[id]) return names[id];
    for (const entry of items) {
      const [entryId, entryName] = pick(entry);
      if (entryId === id && entryName) return entryName;
    }
    return id;
  };
  const hasFilters = Boolean(action || actorId || subjectId || from || to);
  const tz = me.district.timezone;

  return (
    <>
      <div className="section__header section__header--tight">
        <p className="section__description">
          Every sign-in, view of a person's record and change, with who did it and from where.
        </p>
        <a className="button" href={auditApi.csvUrl(filters)} download>
          <Icon name="download" size={16} />
          Download CSV
        </a>
      </div>

      <div className="filters filters--audit" role="search" aria-label="Filter the audit log">
        <SelectField
          label="Action"
          value={action}
          onChange={(value) => setFilter("action", value)}
          options={[
            { value: "", label: "All actions" },
            ...ACTION_OPTIONS,
            // A code from a link (or an older version) that the list does not name stays choosable.
            ...(action && !(action in AUDIT_ACTION_LABELS) ? [{ value: action, label: action }] : []),
          ]}
        />
        <TextField
          label="From"
          type="date"
          value={from}
          max={to || undefined}
          onChange={(value) => setFilter("from", value)}
          error={isRangeInverted ? "Must be on or before the end date" : undefined}
        />
        <TextField label="To" type="date" value={to} min={from || undefined} onChange={(value) => setFilter("to", value)} />
      </div>

      {actorId || subjectId || hasFilters ? (
        <div className="chips" aria-label="Active filters">
          {actorId ? (
            <FilterChip
              label={`Actor: ${nameOf(actorId, (e) => [e.actorId, e.actorName])}`}
              onRemove={() => setFilter("actorId", "")}
            />
          ) : null}
          {subjectId ? (
            <FilterChip
              label={`Subject: ${nameOf(subjectId, (e) => [e.subjectId, e.subjectName])}`}
              onRemove={() => setFilter("subjectId", "")}
            />
          ) : null}
          {hasFilters ? (
            <button type="button" className="button button--ghost button--small" onClick={clearFilters}>
              Clear all filters
            </button>
          ) : null}
        </div>
      ) : null}

      {isRangeInverted ? (
        <EmptyState title="Check the dates">The start date is after the end date.</EmptyState>
      ) : (
        <ListView
          query={entries}
          pages={pages}
          pageSize={PAGE_SIZE}
          noun="entries"
          count={(total) => formatCount(total, "entry", "entries")}
          loadingLabel="Loading the audit log…"
          empty={
            <EmptyState
              title={hasFilters ? "No entries match these filters" : "No audit entries yet"}
              action={
                hasFilters ? (
                  <button type="button" className="button" onClick={clearFilters}>
                    Clear filters
                  </button>
                ) : null
              }
            >
              {hasFilters ? "Try a wider date range or another action." : "Entries appear as people sign in and use Coachwork."}
            </EmptyState>
          }
        >
          {(page) => (
            <DataTable
              rows={page.items}
              columns={auditColumns(tz, filterBy)}
              rowKey={(entry) => entry.id}
              caption="Audit log entries, newest first"
              isDense
            />
          )}
        </ListView>
      )}
    </>
  );
}

function auditColumns(tz: string, onFilter: FilterFn): Column<TAuditEntry>[] {
  return [
    {
      id: "time",
      header: "Time",
      className: "cell-nowrap",
      cell: (entry) => <time dateTime={entry.at}>{formatDateTime(entry.at, tz)}</time>,
    },
    { id: "actor", header: "Actor", cell: (entry) => <ActorCell entry={entry} onFilter={onFilter} /> },
    { id: "action", header: "Action", isPrimary: true, cell: (entry) => <ActionCell entry={entry} /> },
    { id: "subject", header: "Subject", cell: (entry) => <SubjectCell entry={entry} onFilter={onFilter} /> },
    { id: "ip", header: "IP address", className: "cell-muted cell-mono", cell: (entry) => entry.ip ?? "—", isEmpty: (entry) => !entry.ip },
  ];
}

type FilterFn = (name: "actorId" | "subjectId", id: string, label: string) => void;

function ActorCell({ entry, onFilter }: { entry: TAuditEntry; onFilter: FilterFn }) {
  if (!entry.actorId) return <span className="muted">{entry.actorName ?? "System"}</span>;
  const name = entry.actorName ?? entry.actorId;
  const actorId = entry.actorId;
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => onFilter("actorId", actorId, name)}
      title="Show only this person's activity"
    >
      {name}
      <span className="visually-hidden"> (show only their activity)</span>
    </button>
  );
}

function SubjectCell({ entry, onFilter }: { entry: TAuditEntry; onFilter: FilterFn }) {
  if (!entry.subjectId && !entry.subjectName) return <span className="muted">—</span>;
  const name = entry.subjectName ?? entry.subjectId ?? "";
  const subjectId = entry.subjectId;
  return (
    <span className="subject-cell">
      {entry.subjectType ? <span className="subject-cell__type">{entry.subjectType}</span> : null}
      {subjectId ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onFilter("subjectId", subjectId, name)}
          title="Show only entries about this record"
        >
          {name}
          <span className="visually-hidden"> (show only entries about this record)</span>
        </button>
      ) : (
        <span>{name}</span>
      )}
      {subjectId && entry.subjectType === "person" ? (
        <Link className="subject-cell__open" to={`/directory/people/${encodeURIComponent(subjectId)}`}>
          Open<span className="visually-hidden"> {name}</span>
        </Link>
      ) : null}
      {subjectId && entry.subjectType === "school" ? (
        <Link className="subject-cell__open" to={`/directory/schools/${encodeURIComponent(subjectId)}`}>
          Open<span className="visually-hidden"> {name}</span>
        </Link>
      ) : null}
    </span>
  );
}

function ActionCell({ entry }: { entry: TAuditEntry }) {
  return (
    <div className="action-cell">
      <span className="action-cell__label">{auditActionLabel(entry.action)}</span> <code className="action-code">{entry.action}</code>
      <EntryDetails entry={entry} />
    </div>
  );
}

function EntryDetails({ entry }: { entry: TAuditEntry }) {
  const id = useId();
  if (!entry.details || Object.keys(entry.details).length === 0) return null;
  return (
    <details className="entry-details">
      <summary aria-describedby={id}>Details</summary>
      <span id={id} className="visually-hidden">
        for {entry.action} at {entry.at}
      </span>
      <dl className="mini-list">
        {Object.entries(entry.details).map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd className="cell-mono">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function FilterChip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <span className="chip">
      <span>{label}</span>
      <button type="button" className="chip__remove" onClick={onRemove}>
        <Icon name="close" size={14} />
        <span className="visually-hidden">Remove filter {label}</span>
      </button>
    </span>
  );
}
