import type { TObservation, TRubric, TRubricDefinition, TRubricVersion } from "../../../shared/schemas/observations.js";
import { GRADE_BANDS, GRADES, ZRubricDefinition } from "../../../shared/schemas/observations.js";
import {
  canAcknowledgeObservation,
  canCommentOnObservation,
  canDeleteObservation,
  canEditObservation,
  type ObservationFacts,
} from "../../../shared/policy/observations.js";
import type { Actor } from "../../auth/actor.js";
import type { ObservationRow, RubricRow, VersionRow } from "./observations.repository.js";

/** A stored version document, read back through the schema that wrote it. */
export function parseDefinition(json: string): TRubricDefinition {
  return ZRubricDefinition.parse(JSON.parse(json));
}

export function presentVersion(row: VersionRow): TRubricVersion {
  return {
    id: row.id,
    rubricId: row.rubric_id,
    rubricName: row.rubric_name,
    version: row.version,
    definition: parseDefinition(row.definition),
    isFrozen: row.used_at !== null,
    createdAt: row.created_at,
  };
}

export function presentRubric(row: RubricRow): TRubric {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    status: row.status,
    isDefault: row.is_default === 1,
    currentVersion: {
      id: row.v_id,
      rubricId: row.id,
      rubricName: row.name,
      version: row.v_version,
      definition: parseDefinition(row.v_definition),
      isFrozen: row.v_used_at !== null,
      createdAt: row.v_created_at,
    },
  };
}

export const factsOf = (row: Pick<ObservationRow, "district_id" | "school_id" | "observer_id" | "teacher_id" | "status">): ObservationFacts => ({
  districtId: row.district_id,
  schoolId: row.school_id,
  observerId: row.observer_id,
  teacherId: row.teacher_id,
  status: row.status,
});

type Ref = { id: string; name: string };
export type ObservationExtras = {
  school: Ref;
  observer: Ref;
  teacher: Ref;
  /** Level key (or null) per dimension key, in the version's order. */
  levels: Record<string, string | null>;
  technology: { appId: string | null; name: string }[];
  comments: TObservation["comments"];
};

const asGrade = (g: string | null) => (GRADES as readonly string[]).includes(g ?? "") ? (g as TObservation["grade"]) : null;
const asBand = (b: string | null) => (GRADE_BANDS as readonly string[]).includes(b ?? "") ? (b as TObservation["gradeBand"]) : null;

export function presentObservation(actor: Actor, row: ObservationRow, x: ObservationExtras): TObservation {
  const facts = factsOf(row);
  return {
    id: row.id,
    clientRef: row.client_ref,
    status: row.status,
    school: x.school,
    observer: x.observer,
    teacher: x.teacher,
    subject: row.subject,
    grade: asGrade(row.grade),
    gradeBand: asBand(row.grade_band),
    date: row.observed_on,
    startTime: row.start_time,
    durationMinutes: row.duration_minutes,
    rubric: { id: row.rubric_id, name: row.rubric_name, versionId: row.rubric_version_id, version: row.rubric_version },
    levels: x.levels,
    technology: x.technology,
    evidence: row.evidence,
    feedback: row.feedback,
    nextStep: row.next_step,
    cycleId: row.cycle_id,
    coachingEntryId: row.coaching_entry_id,
    comments: x.comments,
    receivedAt: row.received_at,
    submittedAt: row.submitted_at,
    sharedAt: row.shared_at,
    acknowledgedAt: row.acknowledged_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    can: {
      edit: canEditObservation(actor, facts),
      delete: canDeleteObservation(actor, facts),
      acknowledge: canAcknowledgeObservation(actor, facts) && row.acknowledged_at === null,
      comment: canCommentOnObservation(actor, facts),
    },
  };
}
