import type { TPerson } from "../../../shared/schemas/people.js";
import { ROLE_LABELS, STUDENT_ROLES, type Role } from "../../../shared/roles.js";

/** Formats an ISO timestamp in the district's time zone, e.g. "Mar 4, 2026, 9:05 AM". */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  } catch {
    // An unknown time zone name must not break the page.
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
  }
}

export function formatDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(date);
  }
}

const plurals = new Intl.PluralRules("en-US");

/**
 * "1 row", "2 rows", "0 rows": the English plural rule, whatever the number (CLDR via Intl.PluralRules);
 * with `atLeast` (a total counted only up to a cap) "1,000+ people".
 */
export function formatCount(n: number, singular: string, plural = `${singular}s`, atLeast = false): string {
  return `${n.toLocaleString()}${atLeast ? "+" : ""} ${plurals.select(n) === "one" && !atLeast ? singular : plural}`;
}

export function initials(person: Pick<TPerson, "givenName" | "familyName" | "displayName">): string {
  const first = person.givenName.trim().charAt(0);
  const last = person.familyName.trim().charAt(0);
  const result = `${first}${last}`.toUpperCase();
  return result || person.displayName.trim().charAt(0).toUpperCase() || "?";
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

export function isStudent(person: Pick<TPerson, "roles">): boolean {
  return person.roles.some((r) => STUDENT_ROLES.includes(r.role));
}

export function hasRole(person: Pick<TPerson, "roles">, role: Role): boolean {
  return person.roles.some((r) => r.role === role);
}

/** "Coach · Lincoln Elementary" or "District admin · District-wide". */
export function describeRole(assignment: { role: Role; schoolName: string | null; schoolId: string | null }): string {
  const scope = assignment.schoolId === null ? "District-wide" : (assignment.schoolName ?? "Unknown school");
  return `${ROLE_LABELS[assignment.role]} · ${scope}`;
}

/** A file size as people read it: "840 bytes", "12 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString()} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString()} KB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
