// Pure date arithmetic for the coaching log. Dates are YYYY-MM-DD strings handled in UTC,
// so the same entry lands in the same week, month and term on every server and database.

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDate(new Date(parse(date).getTime() + days * DAY_MS));
}

/** Monday of the ISO week containing `date`. */
export function weekOf(date: string): string {
  const d = parse(date);
  const offset = (d.getUTCDay() + 6) % 7; // Monday → 0 … Sunday → 6
  return formatDate(new Date(d.getTime() - offset * DAY_MS));
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The school year starts July 1: "2026-27". */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** Two terms a school year: Fall (July–December) and Spring (January–June). */
export function termOf(date: string): string {
  return `${schoolYearOf(date)} ${Number(date.slice(5, 7)) >= 7 ? "Fall" : "Spring"}`;
}

/** First day of the term containing `date`. */
export function termStart(date: string): string {
  const year = date.slice(0, 4);
  return Number(date.slice(5, 7)) >= 7 ? `${year}-07-01` : `${year}-01-01`;
}

/** First day of the school year containing `date`. */
export function schoolYearStart(date: string): string {
  return `${schoolYearOf(date).slice(0, 4)}-07-01`;
}

/** True for a real calendar date (rejects 2026-02-30). */
export function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = parse(date);
  return !Number.isNaN(d.getTime()) && formatDate(d) === date;
}

export function today(): string {
  return formatDate(new Date());
}
