import type { Role } from "../../../../shared/roles.js";

// What OneRoster 1.1 and 1.2 CSV files look like, as far as Coachwork reads them. Columns are
// matched by name (not position); a column listed in `required` must be in the header and, in
// active rows, hold a value.

export type OneRosterVersion = "1.1" | "1.2";
export type FileMode = "bulk" | "delta" | "absent";

export const ROSTER_FILES = ["orgs.csv", "academicsessions.csv", "courses.csv", "classes.csv", "roles.csv", "users.csv", "enrollments.csv"] as const;
export type RosterFileName = (typeof ROSTER_FILES)[number];

/** The name each file has in the specification (and in manifest.csv as file.<key>). */
export const FILE_KEYS: Record<RosterFileName, string> = {
  "orgs.csv": "orgs",
  "academicsessions.csv": "academicSessions",
  "courses.csv": "courses",
  "classes.csv": "classes",
  "roles.csv": "roles",
  "users.csv": "users",
  "enrollments.csv": "enrollments",
};
export const DISPLAY_NAMES: Record<RosterFileName, string> = {
  "orgs.csv": "orgs.csv",
  "academicsessions.csv": "academicSessions.csv",
  "courses.csv": "courses.csv",
  "classes.csv": "classes.csv",
  "roles.csv": "roles.csv",
  "users.csv": "users.csv",
  "enrollments.csv": "enrollments.csv",
};

type FileColumns = { required: readonly string[]; optional: readonly string[] };

const COMMON = ["sourcedId"];
const STATUS_COLUMNS = ["status", "dateLastModified"];

const ORGS: FileColumns = { required: [...COMMON, "name", "type"], optional: [...STATUS_COLUMNS, "identifier", "parentSourcedId"] };
const SESSIONS: FileColumns = {
  required: [...COMMON, "title", "type", "startDate", "endDate"],
  optional: [...STATUS_COLUMNS, "parentSourcedId", "schoolYear"],
};
const COURSES: FileColumns = {
  required: [...COMMON, "title", "orgSourcedId"],
  optional: [...STATUS_COLUMNS, "schoolYearSourcedId", "courseCode", "grades", "subjects", "subjectCodes"],
};
const CLASSES: FileColumns = {
  required: [...COMMON, "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"],
  optional: [...STATUS_COLUMNS, "grades", "classCode", "location", "subjects", "subjectCodes", "periods"],
};
const ENROLLMENTS: FileColumns = {
  required: [...COMMON, "classSourcedId", "schoolSourcedId", "userSourcedId", "role"],
  optional: [...STATUS_COLUMNS, "primary", "beginDate", "endDate"],
};
const USER_COMMON = ["enabledUser", "username", "userIds", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"];

/** Columns only OneRoster 1.2's users.csv has: their presence in a file declared 1.1 gives a 1.2 export away. */
export const USERS_12_ONLY = [
  "userMasterIdentifier",
  "resourceSourcedIds",
  "preferredGivenName",
  "preferredMiddleName",
  "preferredFamilyName",
  "primaryOrgSourcedId",
  "pronouns",
];

export const FILE_COLUMNS: Record<OneRosterVersion, Partial<Record<RosterFileName, FileColumns>>> = {
  "1.1": {
    "orgs.csv": ORGS,
    "academicsessions.csv": SESSIONS,
    "courses.csv": COURSES,
    "classes.csv": CLASSES,
    "users.csv": {
      required: [...COMMON, "orgSourcedIds", "role", "givenName", "familyName"],
      optional: [...STATUS_COLUMNS, ...USER_COMMON],
    },
    "enrollments.csv": ENROLLMENTS,
  },
  "1.2": {
    "orgs.csv": ORGS,
    "academicsessions.csv": SESSIONS,
    "courses.csv": COURSES,
    "classes.csv": CLASSES,
    "roles.csv": {
      required: [...COMMON, "userSourcedId", "roleType", "role", "orgSourcedId"],
      optional: [...STATUS_COLUMNS, "beginDate", "endDate", "userProfileSourcedId"],
    },
    "users.csv": {
      required: [...COMMON, "givenName", "familyName"],
      optional: [...STATUS_COLUMNS, ...USER_COMMON, ...USERS_12_ONLY],
    },
    "enrollments.csv": ENROLLMENTS,
  },
};

/** The files every import needs (manifest.csv aside), unless manifest.csv declares them absent. */
export function requiredFiles(version: OneRosterVersion): RosterFileName[] {
  const base: RosterFileName[] = ["orgs.csv", "academicsessions.csv", "courses.csv", "classes.csv", "users.csv", "enrollments.csv"];
  return version === "1.2" ? [...base, "roles.csv"] : base;
}

export const ORG_TYPES = ["department", "school", "district", "local", "state", "national"] as const;
export const SESSION_TYPES = ["term", "gradingPeriod", "schoolYear", "semester"] as const;
export const CLASS_TYPES = ["homeroom", "scheduled"] as const;
export const ROLE_TYPES = ["primary", "secondary"] as const;

/**
 * The word of `list` that `value` spells, whatever its case (`Scheduled`, `SCHOOLYEAR`,
 * `gradingperiod`); null when it is none of them. Every enumeration of the specification is read
 * this way: SIS exports capitalise them freely, and the case carries no meaning.
 */
export function oneOf<T extends string>(list: readonly T[], value: string): T | null {
  const lower = value.toLowerCase();
  for (const word of list) if (word.toLowerCase() === lower) return word;
  return null;
}

/** What a OneRoster role becomes here (`role` as spelled in KNOWN_USER_ROLES, see userRole); null: not imported (counted as skipped). */
export function mapUserRole(role: string): Role | null {
  switch (role) {
    case "teacher":
    case "aide":
      return "teacher";
    case "student":
      return "student";
    case "administrator":
    case "principal":
    case "siteAdministrator":
    case "districtAdministrator":
      // Never district_admin: a SIS export must not hand out the keys to Coachwork itself.
      return "school_leader";
    default:
      return null;
  }
}

/** Roles OneRoster defines (1.1 and 1.2); anything else is an error, not a skip. */
export const KNOWN_USER_ROLES = new Set([
  "administrator",
  "aide",
  // 1.2 only; a counselor is no teacher here, so skipped (and counted) like a parent.
  "counselor",
  "guardian",
  "parent",
  "proctor",
  "relative",
  "student",
  "teacher",
  "districtAdministrator",
  "principal",
  "siteAdministrator",
  "systemAdministrator",
]);

/** A role cell as the specification spells it (`Teacher` → teacher, `districtadministrator` → districtAdministrator); null when OneRoster defines no such role. */
export function userRole(value: string): string | null {
  return ROLE_BY_LOWER.get(value.toLowerCase()) ?? null;
}
const ROLE_BY_LOWER = new Map([...KNOWN_USER_ROLES].map((r) => [r.toLowerCase(), r]));

/** An enrolment's role here (`role` as userRole spells it): teachers (aides teach too) and students; null for the rest. */
export function mapEnrollmentRole(role: string): "teacher" | "student" | null {
  if (role === "teacher" || role === "aide") return "teacher";
  if (role === "student") return "student";
  return null;
}

/** Files a OneRoster export may hold that Coachwork does not read. */
export const IGNORED_FILES = new Set([
  "categories.csv",
  "classresources.csv",
  "courseresources.csv",
  "demographics.csv",
  "lineitems.csv",
  "resources.csv",
  "results.csv",
  "userprofiles.csv",
  "scoreScales.csv".toLowerCase(),
  "lineitemlearningobjectiveids.csv",
  "lineitemscorescales.csv",
  "resultlearningobjectiveids.csv",
  "resultscorescales.csv",
]);

// ---- Cell values ----

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

// A million enrolments carry a handful of distinct dates: remember the answers (bounded).
const checkedDates = new Map<string, boolean>();

/** A real calendar date written YYYY-MM-DD. */
export function isDate(value: string): boolean {
  const known = checkedDates.get(value);
  if (known !== undefined) return known;
  let ok = false;
  if (DATE.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    ok = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }
  if (checkedDates.size > 10_000) checkedDates.clear();
  checkedDates.set(value, ok);
  return ok;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A date cell: YYYY-MM-DD as the specification writes it, or M/D/YYYY as a spreadsheet saves it
 * (read as month/day when the day is over 12 or both are the same; otherwise the order cannot be
 * told, and 3/4/2027 could be 4 March or 3 April).
 */
export type DateCell = { kind: "iso"; date: string } | { kind: "spreadsheet"; date: string } | { kind: "ambiguous"; readings: [string, string] } | { kind: "invalid" };

export function readDate(value: string): DateCell {
  if (isDate(value)) return { kind: "iso", date: value };
  const m = US_DATE.exec(value);
  if (!m) return { kind: "invalid" };
  const [a, b, year] = [Number(m[1]), Number(m[2]), m[3] ?? ""];
  const iso = (month: number, day: number) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const asMonthDay = iso(a, b);
  const asDayMonth = iso(b, a);
  const monthDay = isDate(asMonthDay);
  const dayMonth = isDate(asDayMonth);
  if (monthDay && dayMonth && asMonthDay !== asDayMonth) return { kind: "ambiguous", readings: [asMonthDay, asDayMonth] };
  if (monthDay) return { kind: "spreadsheet", date: asMonthDay };
  if (dayMonth) return { kind: "spreadsheet", date: asDayMonth };
  return { kind: "invalid" };
}

/** An ISO 8601 date-time (dateLastModified). */
export function isDateTime(value: string): boolean {
  return DATETIME.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T")));
}

/** A boolean cell: true/false, yes/no, 1/0, in any case (vendors write all of them); undefined for anything else. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "yes" || v === "1") return true;
  if (v === "false" || v === "no" || v === "0") return false;
  return undefined;
}

/** A multi-valued field: "09, 10" → ["09","10"]. */
export function splitList(value: string): string[] {
  if (value === "") return [];
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}
