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

/** Last day of the term containing `date`. */
export function termEnd(date: string): string {
  const year = date.slice(0, 4);
  return Number(date.slice(5, 7)) >= 7 ? `${year}-12-31` : `${year}-06-30`;
}

/** Every term touched by [from, to], in order. */
export function termsBetween(from: string, to: string): string[] {
  const terms: string[] = [];
  for (let d = termStart(from); d <= to; d = addDays(termEnd(d), 1)) terms.push(termOf(d));
  return terms;
}

/** The dates of one rollup part: the days of ISO week `week` that fall in calendar month `month`. */
export function partBounds(week: string, month: string): { first: string; last: string } {
  const weekEnd = addDays(week, 6);
  const monthStart = `${month}-01`;
  const nextMonth = Number(month.slice(5, 7)) === 12 ? `${Number(month.slice(0, 4)) + 1}-01-01` : `${month.slice(0, 4)}-${String(Number(month.slice(5, 7)) + 1).padStart(2, "0")}-01`;
  const monthEnd = addDays(nextMonth, -1);
  return { first: week > monthStart ? week : monthStart, last: weekEnd < monthEnd ? weekEnd : monthEnd };
}
