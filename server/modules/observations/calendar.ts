// Date buckets of an observation, computed once at write time (UTC dates as YYYY-MM-DD text), so
// the roll-ups group by plain columns on either database. Same school calendar as the coaching log:
// the school year starts July 1 and has two terms.

const DAY_MS = 86_400_000;

export const today = (): string => new Date().toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a YYYY-MM-DD string names a day that exists (not 2026-02-30). */
export function isRealDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

export const monthOf = (date: string): string => date.slice(0, 7);

/** "2026-27" for any date from 2026-07-01 to 2027-06-30. */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** "2026-27 Fall" (July–December) or "2026-27 Spring" (January–June). */
export const termOf = (date: string): string => `${schoolYearOf(date)} ${Number(date.slice(5, 7)) >= 7 ? "Fall" : "Spring"}`;
