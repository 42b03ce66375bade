// Pure date arithmetic for the coaching log. Dates are YYYY-MM-DD strings handled in UTC,
// so the same entry lands in the same week and month on every server and database. Terms are the
// district's (shared/terms.ts).

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

/** True for a real calendar date (rejects 2026-02-30). */
export function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = parse(date);
  return !Number.isNaN(d.getTime()) && formatDate(d) === date;
}

export function today(): string {
  return formatDate(new Date());
}

/** Today's date where the district is (its time zone): what "today" and "this week" mean on its dashboards. */
export function todayIn(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return formatDate(now);
  }
}

/** The dates of one rollup part: the days of ISO week `week` that fall in calendar month `month`. */
export function partBounds(week: string, month: string): { first: string; last: string } {
  const weekEnd = addDays(week, 6);
  const monthStart = `${month}-01`;
  const nextMonth = Number(month.slice(5, 7)) === 12 ? `${Number(month.slice(0, 4)) + 1}-01-01` : `${month.slice(0, 4)}-${String(Number(month.slice(5, 7)) + 1).padStart(2, "0")}-01`;
  const monthEnd = addDays(nextMonth, -1);
  return { first: week > monthStart ? week : monthStart, last: weekEnd < monthEnd ? weekEnd : monthEnd };
}
