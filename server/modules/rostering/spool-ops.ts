import type { Role } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";

// The planned changes of an import, as the planners write them to the spool and the bulk apply
// reads them back: one named shape per kind of change. Upserts always leave the row active (a
// deactivation is its own op), except a person's, which the file may make inactive.

type SchoolLevel = DB["schools"]["level"];
type SessionType = DB["academic_sessions"]["type"];
type ClassType = DB["classes"]["class_type"];

/** The tables whose rows an import deactivates by id (never deletes). */
export type DeactivatedTable = "roster_orgs" | "schools" | "academic_sessions" | "courses" | "classes" | "people";

export type SpoolOp =
  | { op: "org"; id: string; sourceId: string; type: string; name: string; parentSourceId: string | null }
  | { op: "school"; id: string; name: string; level: SchoolLevel; code: string | null; sourceId: string }
  | {
      op: "session";
      id: string;
      sourceId: string;
      title: string;
      type: SessionType;
      startDate: string;
      endDate: string;
      schoolYear: string | null;
      parentId: string | null;
    }
  | {
      op: "course";
      id: string;
      sourceId: string;
      title: string;
      courseCode: string | null;
      grades: string | null;
      subjects: string | null;
      schoolYearId: string | null;
      schoolId: string | null;
    }
  | {
      op: "class";
      id: string;
      sourceId: string;
      schoolId: string;
      courseId: string;
      title: string;
      classCode: string | null;
      classType: ClassType;
      location: string | null;
      grades: string | null;
      subjects: string | null;
      periods: string | null;
    }
  /** The class's terms are replaced by these sessions. */
  | { op: "classTerms"; classId: string; sessionIds: string[] }
  | {
      op: "person";
      id: string;
      /** null for a person the staff CSV adds (it has no sourcedIds). */
      sourceId: string | null;
      givenName: string;
      familyName: string;
      email: string | null;
      gradeLevel: string | null;
      studentNumber: string | null;
      status: "active" | "inactive";
      deactivatedAt: string | null;
    }
  /** A role grant; `source: "roster"` marks the ones a later OneRoster import may take away again. */
  | { op: "grant"; id: string; personId: string; role: Role; schoolId: string | null; source: "roster" | null }
  | { op: "revokeGrant"; id: string }
  | {
      op: "enrollment";
      id: string;
      sourceId: string;
      classId: string;
      personId: string;
      schoolId: string;
      role: "teacher" | "student";
      isPrimary: 0 | 1;
      beginDate: string | null;
      endDate: string | null;
      /** enrollmentPrint of the values above, stored with them (roster_print). */
      print: number;
    }
  | { op: "deactivate"; table: DeactivatedTable; id: string }
  /** Enrolments are deactivated by sourcedId: the planner keeps only a fingerprint of each stored one, not its id. */
  | { op: "deactivateEnrollment"; sourceId: string };

export type SpoolOpName = SpoolOp["op"];
export type OpOf<K extends SpoolOpName> = Extract<SpoolOp, { op: K }>;
type FieldOf<K extends SpoolOpName> = Exclude<keyof OpOf<K>, "op">;

/**
 * Each op's fields in the order the spool writes them. A million enrolments make a million spool
 * lines, so a line is a JSON array (the op's name, then its values), not an object that repeats
 * every field name.
 */
const FIELDS = {
  org: ["id", "sourceId", "type", "name", "parentSourceId"],
  school: ["id", "name", "level", "code", "sourceId"],
  session: ["id", "sourceId", "title", "type", "startDate", "endDate", "schoolYear", "parentId"],
  course: ["id", "sourceId", "title", "courseCode", "grades", "subjects", "schoolYearId", "schoolId"],
  class: ["id", "sourceId", "schoolId", "courseId", "title", "classCode", "classType", "location", "grades", "subjects", "periods"],
  classTerms: ["classId", "sessionIds"],
  person: ["id", "sourceId", "givenName", "familyName", "email", "gradeLevel", "studentNumber", "status", "deactivatedAt"],
  grant: ["id", "personId", "role", "schoolId", "source"],
  revokeGrant: ["id"],
  enrollment: ["id", "sourceId", "classId", "personId", "schoolId", "role", "isPrimary", "beginDate", "endDate", "print"],
  deactivate: ["table", "id"],
  deactivateEnrollment: ["sourceId"],
} as const satisfies { [K in SpoolOpName]: readonly FieldOf<K>[] };

/** The fields some op has but FIELDS does not list: must be none (this fails to compile otherwise), or a line would lose them. */
type Unlisted = { [K in SpoolOpName]: Exclude<FieldOf<K>, (typeof FIELDS)[K][number]> }[SpoolOpName];
const _everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;

/** One spool line's JSON value. */
export function encodeOp(op: SpoolOp): unknown[] {
  const fields: readonly string[] = FIELDS[op.op];
  const record = op as Record<string, unknown>;
  const values: unknown[] = new Array<unknown>(fields.length + 1);
  values[0] = op.op;
  for (let i = 0; i < fields.length; i++) values[i + 1] = record[fields[i] ?? ""];
  return values;
}

/** The op a spool line holds; the spool is written by encodeOp in this same process, so it is trusted. */
export function decodeOp(line: readonly unknown[]): SpoolOp {
  const name = line[0] as SpoolOpName;
  const fields: readonly string[] = FIELDS[name];
  const op: Record<string, unknown> = { op: name };
  for (let i = 0; i < fields.length; i++) op[fields[i] ?? ""] = line[i + 1];
  return op as SpoolOp;
}

/** Ops that the apply writes together in one statement: the same op, and for deactivations the same table. */
export function batchKey(op: SpoolOp): string {
  return op.op === "deactivate" ? `deactivate:${op.table}` : op.op;
}
