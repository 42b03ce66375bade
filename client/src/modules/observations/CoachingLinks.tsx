import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import type { TObservation } from "../../../../shared/schemas/observations.js";
import { asApiError } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { coachingApi, coachingKeys, coachingQueries } from "../coaching/api.js";
import { observationKeys, observationsApi } from "./api.js";

/**
 * Where the observation sits in the coaching work: the coaching cycle with this teacher, and the
 * "Observing" minutes in the observer's coaching log. The observer links either with one tap.
 */
export function CoachingLinks({ observation: o }: { observation: TObservation }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [cycleId, setCycleId] = useState("");
  const cycles = useQuery({ ...coachingQueries.cycles({ status: "active", teacherId: o.teacher.id, limit: 50 }), enabled: o.can.edit && o.cycleId === null });
  const categories = useQuery({ ...coachingQueries.categories(), enabled: o.can.edit && o.coachingEntryId === null });
  const observing = categories.data?.items.find((c) => c.key === "observing" && c.status === "active");
  const minutes = o.durationMinutes ?? 15;

  const saved = (next: TObservation) => {
    queryClient.setQueryData(observationKeys.one(next.id), next);
    void queryClient.invalidateQueries({ queryKey: observationKeys.all });
  };
  const linkCycle = useMutation({ mutationFn: (id: string) => observationsApi.update(o.id, { cycleId: id }), onSuccess: saved, onError: setError });
  const logMinutes = useMutation({
    mutationFn: async () => {
      if (!observing) throw new Error("No Observing category");
      const entry = await coachingApi.createEntry({
        date: o.date,
        minutes,
        categoryId: observing.id,
        schoolId: o.school.id,
        teacherIds: [o.teacher.id],
        notes: o.subject ? `Observed ${o.subject}` : "Classroom observation",
        cycleId: o.cycleId,
        link: { type: "observation", id: o.id },
      });
      return observationsApi.update(o.id, { coachingEntryId: entry.id });
    },
    onSuccess: (next) => {
      saved(next);
      void queryClient.invalidateQueries({ queryKey: coachingKeys.all });
    },
    onError: setError,
  });

  if (!o.can.edit && o.cycleId === null && o.coachingEntryId === null) return null;
  return (
    <section className="panel obs-page__section" aria-labelledby="obs-coaching-title">
      <h2 id="obs-coaching-title" className="panel__title">
        Coaching
      </h2>
      {error ? <FormAlert error={asApiError(error)} /> : null}
      <ul className="obs-links">
        <li>
          {o.cycleId ? (
            <Link to={`/coaching/cycles/${encodeURIComponent(o.cycleId)}`}>Part of a coaching cycle with {o.teacher.name}</Link>
          ) : (cycles.data?.items.length ?? 0) > 0 ? (
            <span className="obs-links__row">
              <label htmlFor="obs-cycle">Coaching cycle</label>
              <select id="obs-cycle" className="input" value={cycleId} onChange={(e) => setCycleId(e.target.value)}>
                <option value="">Choose a cycle</option>
                {cycles.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
              <button type="button" className="button" disabled={!cycleId || linkCycle.isPending} onClick={() => linkCycle.mutate(cycleId)}>
                Link
              </button>
            </span>
          ) : (
            <span className="obs-links__none">No active coaching cycle with {o.teacher.name}.</span>
          )}
        </li>
        <li>
          {o.coachingEntryId ? (
            <Link to="/coaching/log">Logged as observing minutes in the coaching log</Link>
          ) : observing ? (
            <button type="button" className="button" disabled={logMinutes.isPending} onClick={() => logMinutes.mutate()}>
              Log {minutes} min of observing in my coaching log
            </button>
          ) : null}
        </li>
      </ul>
    </section>
  );
}
