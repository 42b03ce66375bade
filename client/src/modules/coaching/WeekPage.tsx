import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { TEntry } from "../../../../shared/schemas/coaching.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { coachingQueries, useInvalidateCoaching } from "./api.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { useCoachingAccess } from "./access.js";
import { addDays, formatDateShort, formatDayLong, formatWeekday, formatWeekRange, isIsoDate, todayLocal, weekDays, weekStart } from "./calendar.js";
import { useActiveCycles, useCategories, useCoachSchools } from "./data.js";
import { EditEntryDialog } from "./EditEntryDialog.js";
import { formatMinutes, formatShare, KIND_COLORS } from "./format.js";

/** One week of the coach's log, Monday to Sunday, with totals per day, to spot and fill the gaps. */
export function WeekPage() {
  const me = useMe();
  const access = useCoachingAccess();
  const [searchParams, setSearchParams] = useSearchParams();
  const today = todayLocal();
  const param = searchParams.get("week");
  const monday = weekStart(isIsoDate(param) ? param : today);
  const thisMonday = weekStart(today);
  useDocumentTitle(`Week of ${formatDateShort(monday)}`);
  const { categories, colors } = useCategories();
  const { schools } = useCoachSchools(access);
  const cycles = useActiveCycles(me.person.id);
  const [editing, setEditing] = useState<TEntry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const sunday = addDays(monday, 6);
  const entries = useQuery({ ...coachingQueries.entries({ from: monday, to: sunday, limit: 200 }), placeholderData: keepPreviousData });
  const invalidate = useInvalidateCoaching();
  const items = useMemo(() => entries.data?.items ?? [], [entries.data]);
  const byDay = useMemo(() => {
    const map = new Map<string, TEntry[]>();
    for (const e of items) map.set(e.date, [...(map.get(e.date) ?? []), e]);
    return map;
  }, [items]);
  const total = items.reduce((s, e) => s + e.minutes, 0);
  const coaching = items.filter((e) => e.category.kind === "coaching").reduce((s, e) => s + e.minutes, 0);

  const goTo = (date: string) =>
    setSearchParams(date === thisMonday ? {} : { week: date }, { replace: false });

  return (
    <>
      <PageHeader
        title="Week view"
        description="Your log day by day. Spot a gap, then tap the day to log what you did."
        actions={
          <Link className="button button--primary" to="/coaching">
            <Icon name="plus" size={16} />
            Log an activity
          </Link>
        }
      />

      <div className="week-toolbar">
        <div className="week-toolbar__nav">
          <button type="button" className="icon-button icon-button--bordered" onClick={() => goTo(addDays(monday, -7))} aria-label="Previous week">
            <Icon name="chevronLeft" size={20} />
          </button>
          <h2 className="week-toolbar__title" aria-live="polite">
            {formatWeekRange(monday)}
          </h2>
          <button
            type="button"
            className="icon-button icon-button--bordered"
            onClick={() => goTo(addDays(monday, 7))}
            aria-label="Next week"
            disabled={monday >= thisMonday}
          >
            <Icon name="chevronRight" size={20} />
          </button>
          {monday !== thisMonday ? (
            <button type="button" className="button button--small" onClick={() => goTo(thisMonday)}>
              This week
            </button>
          ) : null}
        </div>
        {entries.data ? (
          <dl className="week-totals">
            <div>
              <dt>Week total</dt>
              <dd>{formatMinutes(total)}</dd>
            </div>
            <div>
              <dt>Coaching share</dt>
              <dd>{formatShare(total > 0 ? coaching / total : null)}</dd>
            </div>
            <div>
              <dt>Entries</dt>
              <dd>{items.length}</dd>
            </div>
          </dl>
        ) : null}
      </div>

      {total > 0 ? (
        <div className="split-bar" aria-hidden="true">
          <span style={{ width: `${(coaching / total) * 100}%`, background: KIND_COLORS.coaching }} />
          <span style={{ width: `${((total - coaching) / total) * 100}%`, background: KIND_COLORS.support }} />
        </div>
      ) : null}

      <div className="log-status" role="status" aria-live="polite">
        {notice ? <p className="log-status__notice">{notice}</p> : null}
      </div>

      {entries.error ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !entries.data ? (
        <Spinner label="Loading the week…" />
      ) : (
        <ol className={`week-grid${entries.isFetching ? " is-refreshing" : ""}`}>
          {weekDays(monday).map((date) => {
            const dayEntries = byDay.get(date) ?? [];
            const minutes = dayEntries.reduce((s, e) => s + e.minutes, 0);
            const isWeekend = date >= addDays(monday, 5);
            const isGap = dayEntries.length === 0 && !isWeekend && date < today;
            // The log is of work done: every day up to today offers "+ Log", no day after it does (the
            // server's one day of slack is for time zones, not for logging ahead).
            const canLog = date <= today;
            return (
              <li
                key={date}
                className={`week-day${date === today ? " is-today" : ""}${isGap ? " is-gap" : ""}${isWeekend ? " is-weekend" : ""}`}
                aria-labelledby={`day-${date}`}
              >
                <div className="week-day__head">
                  <h3 className="week-day__title" id={`day-${date}`}>
                    <span className="week-day__weekday">{formatWeekday(date)}</span>
                    <span className="week-day__date">{Number(date.slice(8, 10))}</span>
                    <span className="visually-hidden">{formatDayLong(date)}</span>
                  </h3>
                  <span className="week-day__total">{minutes > 0 ? formatMinutes(minutes) : isGap ? "Nothing logged" : "—"}</span>
                </div>
                {dayEntries.length > 0 ? (
                  <ul className="week-entries">
                    {dayEntries.map((entry) => (
                      <li key={entry.id}>
                        <button
                          type="button"
                          className={`week-entry week-entry--${entry.category.kind}`}
                          onClick={() => setEditing(entry)}
                          aria-label={`${entry.category.name}, ${formatMinutes(entry.minutes)}${entry.school ? `, ${entry.school.name}` : ""}. Edit`}
                          title={[entry.school?.name, entry.teachers.map((t) => t.name).join(", "), entry.notes].filter(Boolean).join(" · ")}
                        >
                          <span className="week-entry__bar" style={{ background: colors.get(entry.category.id) }} aria-hidden="true" />
                          <span className="week-entry__name">{entry.category.name}</span>
                          <span className="week-entry__minutes">{formatMinutes(entry.minutes)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {canLog ? (
                  <Link className="week-day__add" to={`/coaching?date=${date}`}>
                    <Icon name="plus" size={15} />
                    Log<span className="visually-hidden"> an activity on {formatDayLong(date)}</span>
                  </Link>
                ) : null}
              </li>
            );
          })}
        </ol>
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
          setNotice(`Saved changes to ${entry.category.name}, ${formatMinutes(entry.minutes)}.`);
          void invalidate();
        }}
        onDeleted={(entry) => {
          setEditing(null);
          setNotice(`Deleted ${entry.category.name}, ${formatMinutes(entry.minutes)}.`);
          void invalidate();
        }}
      />
    </>
  );
}
