import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { TCycle } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { coachingApi, type CycleStatusFilter } from "../../api/coaching.js";
import { useResource } from "../../api/useResource.js";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { useCoachingAccess } from "./access.js";
import { formatDateShort } from "./calendar.js";
import { formatMinutes } from "./format.js";
import { StageTrack, StatusBadge, stageLabel } from "./stages.js";

const PAGE_SIZE = 30;
const STATUS_TABS: { value: CycleStatusFilter; label: string }[] = [
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
  { value: "complete", label: "Complete" },
];

function parseStatus(value: string | null): CycleStatusFilter {
  return value === "paused" || value === "complete" || value === "all" ? value : "active";
}

/** A coach's caseload of coaching cycles by status; for a teacher, the cycles they are part of. */
export function CyclesPage() {
  const access = useCoachingAccess();
  const me = useMe();
  const isTeacherView = !access.canLog;
  const title = isTeacherView ? "My coaching cycles" : access.isAdmin ? "Coaching cycles" : "Caseload";
  useDocumentTitle(title);
  const [searchParams] = useSearchParams();
  const status = parseStatus(searchParams.get("status"));

  // "Show more" appends pages; a new status starts again from the first.
  const [pages, setPages] = useState<{ status: CycleStatusFilter; items: TCycle[]; cursor: string | null; error?: ApiError }>({
    status,
    items: [],
    cursor: null,
  });
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  if (pages.status !== status) setPages({ status, items: [], cursor: null });
  const first = useResource(`coaching:cycles:${status}`, (signal) => coachingApi.cycles({ status, limit: PAGE_SIZE }, { signal }));
  const items = [...(first.data?.items ?? []), ...pages.items];
  const nextCursor = pages.items.length > 0 ? pages.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor) return;
    setIsLoadingMore(true);
    try {
      const page = await coachingApi.cycles({ status, limit: PAGE_SIZE, cursor: nextCursor });
      setPages((p) => ({ status, items: [...p.items, ...page.items], cursor: page.nextCursor }));
    } catch (cause) {
      setPages((p) => ({ ...p, error: asApiError(cause) }));
    } finally {
      setIsLoadingMore(false);
    }
  };

  return (
    <>
      <PageHeader
        title={title}
        description={
          isTeacherView
            ? "The coaching cycles you are part of: the goal you set with your coach, each step, and your reflections."
            : "Coaching cycles start from a learning outcome or a classroom problem, then move through planning, teaching, observing and reflecting."
        }
        actions={
          access.canLog ? (
            <Link className="button button--primary" to="/coaching/cycles/new">
              <Icon name="plus" size={16} />
              Start a cycle
            </Link>
          ) : null
        }
      />

      <nav className="tabs" aria-label="Cycle status">
        {STATUS_TABS.map((tab) => (
          <Link
            key={tab.value}
            to={tab.value === "active" ? "/coaching/cycles" : `/coaching/cycles?status=${tab.value}`}
            className={`tabs__tab${status === tab.value ? " is-active" : ""}`}
            aria-current={status === tab.value ? "page" : undefined}
            replace
          >
            {tab.label}
          </Link>
        ))}
      </nav>

      <div className="section--tight">
        {first.error ? (
          <ErrorState error={first.error} onRetry={first.reload} />
        ) : !first.data ? (
          <Spinner label="Loading cycles…" />
        ) : items.length === 0 ? (
          <EmptyState
            title={status === "active" ? "No active cycles" : status === "paused" ? "No paused cycles" : "No completed cycles yet"}
            action={
              access.canLog && status === "active" ? (
                <Link className="button button--primary" to="/coaching/cycles/new">
                  Start a cycle with a teacher
                </Link>
              ) : null
            }
          >
            {isTeacherView
              ? "When a coach starts a coaching cycle with you, it appears here and you can add your reflections."
              : status === "active"
                ? "Start one from a teacher's expected learning outcome or a problem in their classroom — not from a tool."
                : "Cycles you pause or complete move here."}
          </EmptyState>
        ) : (
          <ul className="cycle-list">
            {items.map((cycle) => {
              const last = cycle.steps[cycle.steps.length - 1];
              return (
                <li key={cycle.id} className="cycle-card">
                  <div className="cycle-card__head">
                    <Link className="cycle-card__title" to={`/coaching/cycles/${encodeURIComponent(cycle.id)}`}>
                      {cycle.title}
                    </Link>
                    <StatusBadge status={cycle.status} />
                  </div>
                  <p className="cycle-card__meta">
                    <span>{cycle.teachers.map((t) => t.name).join(", ")}</span>
                    <span>{cycle.school.name}</span>
                    {cycle.coach.id !== me.person.id ? <span>Coach: {cycle.coach.name}</span> : null}
                  </p>
                  <p className="cycle-card__start">
                    <span className="cycle-card__start-label">{cycle.startingPoint === "outcome" ? "Outcome" : "Problem"}:</span>{" "}
                    {cycle.startingText}
                  </p>
                  <div className="cycle-card__foot">
                    <StageTrack cycle={cycle} isCompact />
                    <span className="cycle-card__latest">
                      {last ? `${stageLabel(last.stage)} · ${formatDateShort(last.date)}` : "No steps yet"}
                      {cycle.minutesLogged > 0 ? ` · ${formatMinutes(cycle.minutesLogged)} logged` : ""}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {pages.error ? <ErrorState error={pages.error} /> : null}
        {nextCursor ? (
          <div className="load-more">
            <button type="button" className="button" onClick={() => void loadMore()} disabled={isLoadingMore}>
              {isLoadingMore ? "Loading…" : "Show more"}
            </button>
          </div>
        ) : null}
      </div>
    </>
  );
}
