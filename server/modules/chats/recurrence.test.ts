import { describe, expect, it } from "vitest";
import { dayOfReminderAt, occurrences, rruleText, wallTimeToInstant } from "./recurrence.js";

const iiChat = { frequency: "weekly", weekday: "WE", startTime: "21:00", timeZone: "America/New_York", startsOn: "2026-10-01" } as const;

describe("chat recurrence", () => {
  it("keeps Wednesday 9:00 pm Eastern across the November change (EDT 01:00Z, then EST 02:00Z)", () => {
    const got = occurrences(iiChat, new Date("2026-10-20T00:00:00Z"), new Date("2026-11-12T00:00:00Z")).map((d) => d.toISOString());
    // Nov 1 2026 is the fall-back Sunday.
    expect(got).toEqual(["2026-10-22T01:00:00.000Z", "2026-10-29T01:00:00.000Z", "2026-11-05T02:00:00.000Z", "2026-11-12T02:00:00.000Z"].slice(0, 3));
  });

  it("keeps Wednesday 9:00 pm Eastern across the March change (EST 02:00Z, then EDT 01:00Z)", () => {
    const got = occurrences({ ...iiChat, startsOn: "2027-01-01" }, new Date("2027-03-01T00:00:00Z"), new Date("2027-03-25T00:00:00Z")).map((d) => d.toISOString());
    // Mar 14 2027 is the spring-forward Sunday.
    expect(got).toEqual(["2027-03-04T02:00:00.000Z", "2027-03-11T02:00:00.000Z", "2027-03-18T01:00:00.000Z", "2027-03-25T01:00:00.000Z"].slice(0, 3));
  });

  it("does not depend on the server's own time zone (rrule's TZID does)", () => {
    // The conversion goes through Intl with the series' zone only; a wall time maps the same way whatever TZ says.
    expect(wallTimeToInstant(new Date(Date.UTC(2027, 2, 17, 21, 0)), "America/New_York").toISOString()).toBe("2027-03-18T01:00:00.000Z");
    expect(wallTimeToInstant(new Date(Date.UTC(2027, 0, 6, 21, 0)), "America/Los_Angeles").toISOString()).toBe("2027-01-07T05:00:00.000Z");
  });

  it("moves a wall time in the spring-forward gap forward by the gap", () => {
    expect(wallTimeToInstant(new Date(Date.UTC(2027, 2, 14, 2, 30)), "America/New_York").toISOString()).toBe("2027-03-14T07:30:00.000Z");
  });

  it("puts biweekly events two weeks apart and monthly ones on the same week's weekday", () => {
    const two = occurrences({ ...iiChat, frequency: "biweekly" }, new Date("2026-10-01T00:00:00Z"), new Date("2026-11-01T00:00:00Z"));
    expect(two.map((d) => d.toISOString().slice(0, 10))).toEqual(["2026-10-08", "2026-10-22"]);
    const monthly = occurrences({ ...iiChat, frequency: "monthly", startsOn: "2026-10-14" }, new Date("2026-10-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"));
    // Second Wednesday of each month, 9 pm Eastern (the next UTC day).
    expect(monthly.map((d) => d.toISOString().slice(0, 10))).toEqual(["2026-10-15", "2026-11-12", "2026-12-10"]);
  });

  it("stops at until and writes the rule with its time zone", () => {
    expect(occurrences({ ...iiChat, until: "2026-10-15" }, new Date("2026-10-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"))).toHaveLength(2);
    expect(rruleText(iiChat)).toBe("DTSTART;TZID=America/New_York:20261007T210000\nRRULE:FREQ=WEEKLY;BYDAY=WE");
  });

  it("reminds at 9:00 local on the day, which is before a 9:00 pm start", () => {
    expect(dayOfReminderAt(new Date("2026-11-05T02:00:00Z"), "America/New_York", 9)?.toISOString()).toBe("2026-11-04T14:00:00.000Z");
    expect(dayOfReminderAt(new Date("2026-11-04T13:00:00Z"), "America/New_York", 9)).toBeNull();
  });
});
