import { CYCLE_STAGE_LABELS, type CycleStage, type TCycle } from "../../../../shared/schemas/coaching.js";
import { Icon } from "../../components/Icon.js";

/** The path of a cycle, with co-teaching and modeling as one step (a coach does one or the other). */
export const STAGE_TRACK: { label: string; stages: CycleStage[] }[] = [
  { label: "Goal", stages: ["goal"] },
  { label: "Co-plan", stages: ["co_plan"] },
  { label: "Co-teach or model", stages: ["co_teach", "model"] },
  { label: "Observe", stages: ["observe"] },
  { label: "Reflect", stages: ["reflect"] },
  { label: "Next step", stages: ["next_step"] },
];

export const CYCLE_STATUS_LABELS: Record<TCycle["status"], string> = { active: "Active", paused: "Paused", complete: "Complete" };

export function StatusBadge({ status }: { status: TCycle["status"] }) {
  return <span className={`badge cycle-status cycle-status--${status}`}>{CYCLE_STATUS_LABELS[status]}</span>;
}

export function stageLabel(stage: CycleStage): string {
  return CYCLE_STAGE_LABELS[stage];
}

/** Which stages of the path have at least one step, as a row of marks with their names. */
export function StageTrack({ cycle, isCompact = false }: { cycle: TCycle; isCompact?: boolean }) {
  const done = new Set(cycle.steps.map((s) => s.stage));
  return (
    <ol className={`stage-track${isCompact ? " stage-track--compact" : ""}`} aria-label="Cycle stages">
      {STAGE_TRACK.map((step) => {
        const isDone = step.stages.some((s) => done.has(s));
        return (
          <li key={step.label} className={`stage-track__step${isDone ? " is-done" : ""}`}>
            <span className="stage-track__mark" aria-hidden="true">
              {isDone ? <Icon name="check" size={12} /> : null}
            </span>
            <span className={isCompact ? "visually-hidden" : "stage-track__label"}>
              {step.label}
              <span className="visually-hidden">{isDone ? " (done)" : " (not yet)"}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
