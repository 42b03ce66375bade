import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { TEntry } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { coachingApi, coachingQueries, useInvalidateCoaching, type TRecentEntry } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { useCoachingAccess } from "./access.js";
import { addDays, isIsoDate, relativeDay, todayLocal, weekStart } from "./calendar.js";
import { newClientRef } from "./clientRef.js";
import { useActiveCycles, useCategories, useCoachSchools } from "./data.js";
import { EditEntryDialog } from "./EditEntryDialog.js";
import { EntryForm, emptyEntryValues, entryToValues, useEntryForm, valuesToRequest, type EntryValues } from "./EntryForm.js";
import { EntryCard } from "./EntryCard.js";
import { formatMinutes } from "./format.js";

type Saved = { entry: TEntry; isUndoing: boolean };

/**
 * The quick log, built for a phone between classes: tap a recent activity and "Log it" (three taps
 * from opening the page), or fill in category, minutes, date, school and teachers.
 */
export function QuickLogPage() {
  useDocumentTitle("Log an activity");
  const me = useMe();
  const access = useCoachingAccess();
  const [searchParams] = useSearchParams();
  const { categories, colors, error: categoriesError, isLoading: isLoadingCategories, reload: reloadCategories } = useCategories();
  const { schools } = useCoachSchools(access);
  const cycles = useActiveCycles(me.person.id);
  const submitRef = useRef<HTMLButtonElement>(null);
  const toastRef = useRef<HTMLDivElement>(null);

  const today = todayLocal();
  const paramDate = searchParams.get("date");
  const paramCycle = searchParams.get("cycleId") ?? "";
  const initial = () => emptyEntryValues({ date: isIsoDate(paramDate) ? paramDate : today, cycleId: paramCycle });

  const form = useEntryForm(initial());
  // Set once the coach picks a school, or a recent activity or an undo fills one in: no default overrides it.
  const hasChosenSchool = useRef(false);
  const [clientRef, setClientRef] = useState(newClientRef);
  const [undoError, setUndoError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const savedId = saved?.entry.id;
  useEffect(() => {
    if (savedId) toastRef.current?.focus({ preventScroll: true });
  }, [savedId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<TEntry | null>(null);

  const monday = weekStart(today);
  const week = useQuery(coachingQueries.entries({ from: monday, to: addDays(today, 1), limit: 200 }));
  const recent = useQuery(coachingQueries.recent());
  const invalidate = useInvalidateCoaching();
  const refresh = () => void invalidate();

  // A coach at a single school never has to pick it; others start where they logged last.
  const lastSchool = recent.data?.items[0]?.school?.id;
  const defaultSchool =
    schools.length === 1 ? (schools[0]?.id ?? "") : lastSchool && schools.some((s) => s.id === lastSchool) ? lastSchool : "";
  useEffect(() => {
    const isChosen = hasChosenSchool.current || form.getFieldState("schoolId").isDirty;
    if (defaultSchool && !isChosen && !form.getValues("schoolId")) form.setValue("schoolId", defaultSchool);
  }, [defaultSchool, form]);

  /** Puts these values in the form as if typed, without errors from before. */
  const fill = (values: EntryValues) => {
    hasChosenSchool.current = true;
    form.reset(values, { keepDefaultValues: true });
  };

  const fillFromRecent = (item: TRecentEntry) => {
    fill({
      ...form.getValues(),
      categoryId: item.categoryId,
      minutes: String(item.minutes),
      schoolId: item.school?.id ?? "",
      teachers: item.teachers,
      notes: "",
      cycleId: "",
    });
    setUndoError(null);
    setSaved(null);
    setNotice(`Filled in: ${item.categoryName}, ${formatMinutes(item.minutes)}. Check the date and press Log it.`);
    submitRef.current?.focus({ preventScroll: true });
    submitRef.current?.scrollIntoView({ block: "nearest" });
  };

  const submit = async (values: EntryValues) => {
    setNotice(null);
    setUndoError(null);
    const entry = await coachingApi.createEntry({ ...valuesToRequest(values), clientRef });
    setSaved({ entry, isUndoing: false });
    // Keep the date and school for the next entry: coaches log several in a row.
    form.reset(emptyEntryValues({ date: values.date, schoolId: values.schoolId }));
    setClientRef(newClientRef());
    refresh();
  };

  const undo = async () => {
    if (!saved) return;
    setSaved({ ...saved, isUndoing: true });
    setUndoError(null);
    try {
      await coachingApi.deleteEntry(saved.entry.id);
      fill(entryToValues(saved.entry));
      setSaved(null);
      setNotice("Undone. The entry is back in the form if you want to change it and log it again.");
      refresh();
    } catch (cause) {
      setSaved({ ...saved, isUndoing: false });
      setUndoError(asApiError(cause));
    }
  };

  const entries = useMemo(() => week.data?.items ?? [], [week.data]);
  const days = useMemo(() => {
    const byDay = new Map<string, TEntry[]>();
    for (const e of entries) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
    return [...byDay.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1));
  }, [entries]);
  const weekMinutes = entries.reduce((sum, e) => sum + e.minutes, 0);

  if (categoriesError) return <ErrorState error={categoriesError} onRetry={reloadCategories} />;

  return (
    <>
      <PageHeader title="Log an activity" description="Pick what you did and for how long. Repeat a recent one in two taps." />

      <div className="log-status" role="status" aria-live="polite">
        {saved ? (
          // Focus comes here after "Log it" (the button is busy while saving, so focus would fall to the
          // page): what was logged is read out, and Undo is the next Tab.
          <div className="toast" ref={toastRef} tabIndex={-1}>
            <Icon name="check" size={18} />
            <span className="toast__text">
              Logged {formatMinutes(saved.entry.minutes)} of {saved.entry.category.name}
              {saved.entry.date === today ? "" : ` on ${relativeDay(saved.entry.date, today)}`}.
            </span>
            <button type="button" className="button button--small toast__undo" onClick={() => void undo()} disabled={saved.isUndoing}>
              {saved.isUndoing ? "Undoing…" : "Undo"}
            </button>
          </div>
        ) : notice ? (
          <p className="log-status__notice">{notice}</p>
        ) : null}
      </div>
      {undoError ? <FormAlert error={undoError} /> : null}

      {recent.data && recent.data.items.length > 0 ? (
        <section className="repeat" aria-labelledby="repeat-title">
          <h2 id="repeat-title" className="repeat__title">
            Repeat a recent activity
          </h2>
          <ul className="repeat__list">
            {recent.data.items.map((item) => (
              <li key={`${item.categoryId}:${item.minutes}:${item.school?.id ?? ""}:${item.teachers.map((t) => t.id).join(",")}`}>
                <button type="button" className="repeat__item" onClick={() => fillFromRecent(item)}>
                  <span className="repeat__dot" style={{ background: colors.get(item.categoryId) }} aria-hidden="true" />
                  <span className="repeat__name">{item.categoryName}</span>
                  <span className="repeat__meta">
                    {formatMinutes(item.minutes)}
                    {item.school ? ` · ${item.school.name}` : ""}
                  </span>
                  {item.teachers.length > 0 ? (
                    <span className="repeat__meta">
                      {item.teachers[0]?.name}
                      {item.teachers.length > 1 ? ` +${item.teachers.length - 1}` : ""}
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {isLoadingCategories && categories.length === 0 ? (
        <Spinner label="Loading categories…" />
      ) : (
        <div className="quick-log">
          <EntryForm
            form={form}
            onSubmit={submit}
            categories={categories}
            colors={colors}
            schools={schools}
            cycles={cycles}
            submitLabel="Log it"
            submitRef={submitRef}
            isSticky
          />
        </div>
      )}

      <section className="section week-so-far" aria-labelledby="week-so-far-title">
        <div className="section__header">
          <h2 id="week-so-far-title" className="section__title">
            This week
            {week.data ? <span className="count">{formatMinutes(weekMinutes)}</span> : null}
          </h2>
          <div className="section__links">
            <Link to="/coaching/week">Week view</Link>
            <Link to="/coaching/log">All entries</Link>
          </div>
        </div>
        {week.error ? (
          <ErrorState error={week.error} onRetry={() => void week.refetch()} />
        ) : !week.data ? (
          <Spinner label="Loading this week…" />
        ) : days.length === 0 ? (
          <EmptyState title="Nothing logged this week yet" isCompact>
            Your entries appear here as you log them, so you can fix or remove one right away.
          </EmptyState>
        ) : (
          days.map(([date, items]) => (
            <div key={date} className="day-group">
              <h3 className="day-group__title">
                {relativeDay(date, today)}
                <span className="day-group__total">{formatMinutes(items.reduce((s, e) => s + e.minutes, 0))}</span>
              </h3>
              <ul className="entry-list">
                {items.map((entry) => (
                  <EntryCard
                    key={entry.id}
                    entry={entry}
                    color={colors.get(entry.category.id)}
                    onEdit={setEditing}
                    onDeleted={(deleted) => {
                      if (saved?.entry.id === deleted.id) setSaved(null);
                      setNotice(`Deleted ${deleted.category.name}, ${formatMinutes(deleted.minutes)}.`);
                      refresh();
                    }}
                  />
                ))}
              </ul>
            </div>
          ))
        )}
      </section>

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
          refresh();
        }}
        onDeleted={(entry) => {
          setEditing(null);
          if (saved?.entry.id === entry.id) setSaved(null);
          setNotice(`Deleted ${entry.category.name}, ${formatMinutes(entry.minutes)}.`);
          refresh();
        }}
      />
    </>
  );
}
