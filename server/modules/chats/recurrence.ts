import rrulePkg from "rrule";
import type { TRecurrence } from "../../../shared/schemas/chats.js";

const { RRule } = rrulePkg;

// A series' recurrence: rrule expands the rule over *wall-clock* times (its dates carry the local
// time in their UTC fields, "floating"), and each wall time becomes an instant in the series' time
// zone through Intl. rrule's own TZID support converts through the process's zone, which is wrong on
// a server not set to UTC; this way 9:00 pm Eastern stays 9:00 pm across the March and November
// changes on any server.

const WEEKDAYS = { MO: RRule.MO, TU: RRule.TU, WE: RRule.WE, TH: RRule.TH, FR: RRule.FR, SA: RRule.SA, SU: RRule.SU } as const;

const JS_DAY = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 } as const;

/** The first event's wall time: startsOn, moved to the series' weekday (weekly, biweekly) on or after it. */
function floatingStart(r: TRecurrence): Date {
  const [y, m, d] = r.startsOn.split("-").map(Number) as [number, number, number];
  const [hh, mm] = r.startTime.split(":").map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, d, hh, mm));
  if (r.frequency === "weekly" || r.frequency === "biweekly") {
    start.setUTCDate(start.getUTCDate() + ((JS_DAY[r.weekday] - start.getUTCDay() + 7) % 7));
  }
  return start;
}

/** The rrule over floating wall-clock times. */
function ruleOf(r: TRecurrence) {
  const dtstart = floatingStart(r);
  const until = r.until ? new Date(`${r.until}T23:59:59Z`) : null;
  const weekday = WEEKDAYS[r.weekday];
  switch (r.frequency) {
    case "once":
      return new RRule({ freq: RRule.DAILY, count: 1, dtstart });
    case "weekly":
      return new RRule({ freq: RRule.WEEKLY, byweekday: [weekday], dtstart, until });
    case "biweekly":
      return new RRule({ freq: RRule.WEEKLY, interval: 2, byweekday: [weekday], dtstart, until });
    case "monthly": {
      // The same weekday of the same week of the month as the first day ("second Wednesday").
      const nth = Math.ceil(dtstart.getUTCDate() / 7);
      return new RRule({ freq: RRule.MONTHLY, byweekday: [weekday.nth(nth > 4 ? -1 : nth)], dtstart, until });
    }
    default: {
      const never: never = r.frequency;
      throw new Error(`unknown frequency ${String(never)}`);
    }
  }
}

/** The offset (ms, local minus UTC) of a time zone at an instant. */
function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time (given in a Date's UTC fields) happens in a time zone. A time that
 * does not exist (in the spring-forward gap) moves forward by the gap, as calendars do.
 */
export function wallTimeToInstant(wall: Date, timeZone: string): Date {
  const guess = wall.getTime();
  const first = guess - zoneOffsetMs(timeZone, guess);
  const second = guess - zoneOffsetMs(timeZone, first);
  return new Date(zoneOffsetMs(timeZone, second) === zoneOffsetMs(timeZone, first) ? second : Math.max(first, second));
}

/** The wall-clock date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMs(timeZone, at.getTime())).toISOString().slice(0, 10);
}

/** The series' occurrences starting in [from, to), as instants. */
export function occurrences(r: TRecurrence, from: Date, to: Date, limit = 100): Date[] {
  // Widen by a day each side: the rule runs on wall times, the window is in instants.
  const day = 86_400_000;
  const walls = ruleOf(r).between(new Date(from.getTime() - day), new Date(to.getTime() + day), true);
  return walls
    .map((w) => wallTimeToInstant(w, r.timeZone))
    .filter((at) => at >= from && at < to)
    .slice(0, limit);
}

/** RFC 5545 text of the rule with its time zone (what the iCal feed and the API show). */
export function rruleText(r: TRecurrence): string {
  const rule = ruleOf(r).toString(); // "DTSTART:20261209T210000Z\nRRULE:…" over floating times
  const ruleLine = rule.split("\n").find((l) => l.startsWith("RRULE:")) ?? "RRULE:FREQ=DAILY;COUNT=1";
  const start = floatingStart(r).toISOString().slice(0, 19).replace(/[-:]/g, "");
  return `DTSTART;TZID=${r.timeZone}:${start}\n${ruleLine}`;
}

/** The "day-of" reminder time: 9:00 local on the event's day (or null if that is not before the start). */
export function dayOfReminderAt(startsAt: Date, timeZone: string, hour: number): Date | null {
  const date = localDate(startsAt, timeZone);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const at = wallTimeToInstant(new Date(Date.UTC(y, m - 1, d, hour, 0)), timeZone);
  return at < startsAt ? at : null;
}
