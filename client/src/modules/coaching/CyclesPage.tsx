import { Link, useSearchParams } from "react-router-dom";
import type { TCycle } from "../../../../shared/schemas/coaching.js";
import { coachingApi, coachingKeys, type CycleStatusFilter } from "./api.js";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { TabBar } from "../../components/Tabs.js";
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
  const cycles = useInfiniteQuery({
    queryKey: [...coachingKeys.cycles(), "caseload", status],
    queryFn: ({ signal, pageParam }) => coachingApi.cycles({ status, limit: PAGE_SIZE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items: TCycle[] = cycles.data?.pages.flatMap((page) => page.items) ?? [];
  const isLoadingMore = cycles.isFetchingNextPage;
  const loadMore = () => void cycles.fetchNextPage();

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

      <TabBar label="Cycle status">
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
      </TabBar>

      <div className="section--tight">
        {cycles.error ? (
          <ErrorState error={cycles.error} onRetry={cycles.refetch} />
        ) : !cycles.data ? (
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
        {cycles.isFetchNextPageError ? <ErrorState error={cycles.error} /> : null}
        {cycles.hasNextPage ? (
          <div className="load-more">
            <button type="button" className="button" onClick={loadMore} disabled={isLoadingMore}>
              {isLoadingMore ? "Loading…" : "Show more"}
            </button>
          </div>
        ) : null}
      </div>
    </>
  );
}
