import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { CYCLE_STAGE_LABELS } from "../../../../shared/schemas/coaching.js";
import { personCoachingView } from "../../../../shared/policy/coaching.js";
import { Spinner } from "../../components/Feedback.js";
import { useMe } from "../../lib/session.js";
import { coachingQueries } from "../coaching/api.js";

const hours = (minutes: number) => (minutes / 60).toLocaleString(undefined, { maximumFractionDigits: 1 });
const day = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/**
 * A staff member's coaching on their page, from the coaching module's API: every coach's work for
 * admins and the person, a coach's own work with them; nothing is shown to anyone else.
 */
export function PersonCoachingSection({ personId, personName }: { personId: string; personName: string }) {
  const me = useMe();
  const view = personCoachingView({ personId: me.person.id, roles: me.person.roles }, personId);
  const coaching = useQuery({ ...coachingQueries.person(personId), enabled: view !== null });
  if (view === null || coaching.error) return null;
  const c = coaching.data;
  const isSelf = me.person.id === personId;
  return (
    <section className="section" aria-labelledby="person-coaching-title">
      <div className="section__header">
        <div>
          <h2 id="person-coaching-title" className="section__title">
            Coaching
          </h2>
          <p className="section__description">
            {view === "own" ? `Your work with ${personName}: entries that name them and your cycles with them.` : isSelf ? "Your coaching: the activities that name you and your cycles." : `Every coach's activities that name ${personName}, and their cycles.`}
          </p>
        </div>
      </div>
      {!c ? (
        <Spinner label="Loading coaching…" />
      ) : (
        <>
          <p>
            {c.totals.entries === 0
              ? "No coaching activity names them yet."
              : `${c.totals.entries.toLocaleString()} ${c.totals.entries === 1 ? "activity" : "activities"}, ${hours(c.totals.minutes)} h (${hours(c.totals.coachingMinutes)} h coaching).`}
          </p>
          {c.recent.length > 0 ? (
            <ul className="person-coaching__list" aria-label="Latest activities">
              {c.recent.map((e) => (
                <li key={e.id}>
                  {day(e.date)} · {e.categoryName} · {e.minutes} min · {e.coachName}
                  {e.schoolName ? ` · ${e.schoolName}` : ""}
                </li>
              ))}
            </ul>
          ) : null}
          <h3 className="section__title person-coaching__cycles-title">Cycles</h3>
          {c.cycles.length === 0 ? (
            <p>No coaching cycles{view === "own" ? " with you" : ""}.</p>
          ) : (
            <ul className="person-coaching__list" aria-label="Coaching cycles">
              {c.cycles.map((cycle) => (
                <li key={cycle.id}>
                  <Link to={`/coaching/cycles/${cycle.id}`}>{cycle.title}</Link> · with {cycle.coachName} · {cycle.status === "active" ? (cycle.nextStage ? `next: ${CYCLE_STAGE_LABELS[cycle.nextStage]}` : "next step set") : cycle.status}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
