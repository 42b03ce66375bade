// Calendar dates (YYYY-MM-DD) for the coaching pages. The log stores plain dates, so the client
// does its arithmetic in UTC, like the server, and only "today" comes from the local clock.

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function toIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Today on this device's calendar: what a coach means by "today". */
export function todayLocal(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${month}-${day}`;
}

export function addDays(date: string, days: number): string {
  return toIso(new Date(parse(date).getTime() + days * DAY_MS));
}

export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = parse(value);
  return !Number.isNaN(d.getTime()) && toIso(d) === value;
}

/** Monday of the week containing `date`. */
export function weekStart(date: string): string {
  const offset = (parse(date).getUTCDay() + 6) % 7;
  return addDays(date, -offset);
}

/** The seven dates Monday…Sunday of the week starting `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** July 1 that starts the school year containing `date` (the server's default range start). */
export function schoolYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 7 ? `${year}-07-01` : `${year - 1}-07-01`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatWith(date: string, options: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify(options);
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" });
    formatters.set(key, formatter);
  }
  return formatter.format(parse(date));
}

/** "Wed, Mar 4" */
export function formatDay(date: string): string {
  return formatWith(date, { weekday: "short", month: "short", day: "numeric" });
}

/** "Wednesday, March 4" */
export function formatDayLong(date: string): string {
  return formatWith(date, { weekday: "long", month: "long", day: "numeric" });
}

/** "Mar 4, 2026" */
export function formatDateShort(date: string): string {
  return formatWith(date, { month: "short", day: "numeric", year: "numeric" });
}

/** "Mar 4" */
export function formatMonthDay(date: string): string {
  return formatWith(date, { month: "short", day: "numeric" });
}

/** "Mon" */
export function formatWeekday(date: string): string {
  return formatWith(date, { weekday: "short" });
}

/** "Mar 2 – 8, 2026" or "Mar 30 – Apr 5, 2026" for a Monday. */
export function formatWeekRange(monday: string): string {
  const sunday = addDays(monday, 6);
  const sameMonth = monday.slice(0, 7) === sunday.slice(0, 7);
  const end = sameMonth ? String(Number(sunday.slice(8, 10))) : formatMonthDay(sunday);
  return `${formatMonthDay(monday)} – ${end}, ${sunday.slice(0, 4)}`;
}

/** "Today", "Yesterday" or "Wed, Mar 4". */
export function relativeDay(date: string, today: string): string {
  if (date === today) return "Today";
  if (date === addDays(today, -1)) return "Yesterday";
  if (date === addDays(today, 1)) return "Tomorrow";
  return formatDay(date);
}

/** The server's bucket key in words: a week's Monday, a month "2026-09", or a term (by its name from the dashboard). */
export function formatBucket(bucket: "week" | "month" | "term", key: string, isShort = false, termNames?: ReadonlyMap<string, string>): string {
  switch (bucket) {
    case "week":
      return isShort ? formatMonthDay(key) : `Week of ${formatDateShort(key)}`;
    case "month":
      return formatWith(`${key}-01`, isShort ? { month: "short" } : { month: "long", year: "numeric" });
    case "term":
      return termNames?.get(key) ?? `Term from ${formatDateShort(key)}`;
  }
}

/**
 * Teacher metrics count whole terms (the district's, from the dashboard); this names the period they
 * cover, e.g. "this term (Fall 2026)" or "Fall 2026 – Spring 2027".
 */
export function describeTermPeriod(terms: readonly { name: string; startDate: string; endDate: string }[], today: string): string {
  const first = terms[0];
  const last = terms[terms.length - 1];
  if (!first || !last) return "this term";
  if (first === last) return today >= first.startDate && today <= first.endDate ? `this term (${first.name})` : first.name;
  return `${first.name} – ${last.name}`;
}

/** The bucket after `key`: next week's Monday or next month (terms come from the dashboard's list). */
export function nextBucket(bucket: "week" | "month", key: string): string {
  switch (bucket) {
    case "week":
      return addDays(key, 7);
    case "month": {
      const year = Number(key.slice(0, 4));
      const month = Number(key.slice(5, 7));
      return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
    }
  }
}

/**
 * The buckets from the first to the last given one with none skipped, so a quiet week shows as an
 * empty bar instead of vanishing from the time axis.
 */
export function fillBuckets<T extends { bucket: string }>(bucket: "week" | "month" | "term", series: readonly T[], empty: (key: string) => T, termKeys: readonly string[] = []): T[] {
  const first = series[0];
  const last = series[series.length - 1];
  if (!first || !last) return [];
  const byKey = new Map(series.map((s) => [s.bucket, s]));
  if (bucket === "term") return termKeys.filter((k) => k >= first.bucket && k <= last.bucket).map((k) => byKey.get(k) ?? empty(k));
  const out: T[] = [];
  for (let key = first.bucket, guard = 0; key <= last.bucket && guard < 1000; key = nextBucket(bucket, key), guard++) {
    out.push(byKey.get(key) ?? empty(key));
  }
  return out;
}
