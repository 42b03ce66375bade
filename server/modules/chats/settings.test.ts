/**
 * A series' settings page changes its schedule and length (PATCH /chats/series/{id} with
 * `recurrence`): events not yet open move to the new rule, open ones stay; and a group says who made
 * it (the page keeps its creator out of the editable member list). Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary, TChatGroup, TChatSeries } from "../../../shared/schemas/chats.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { createSeries, runEventNow, startChatServers, type ChatServer } from "../../../tests/helpers/chats.js";

const local = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", minute: "2-digit", hour12: false }).format(new Date(iso));

for (const dialect of DIALECTS) {
  describe(`chats schedule changes (${dialect})`, () => {
    let env: Awaited<ReturnType<typeof startChatServers>>;
    let server: ChatServer;
    let coach: ApiClient;
    let coModerator: ApiClient;
    let teacherId: string;
    let coModeratorId: string;

    beforeAll(async () => {
      env = await startChatServers(dialect, 1);
      server = env.servers[0] as ChatServer;
      const { admin } = await setUpDistrict(server);
      const school = (await makeSchool(admin, { level: "elementary" })).id;
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: school }] });
      const co = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school }] });
      const t = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school }] });
      teacherId = t.person.id;
      coach = await signedIn(server as never, c.email);
      coModerator = await signedIn(server as never, co.email);
      coModeratorId = co.person.id;
    }, 60_000);
    afterAll(async () => env.close());

    const upcoming = async (seriesId: string) => (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${seriesId}/events`)).body.items;

    it("moves the events not yet open to a new day, time, zone and length; a running event stays", async () => {
      const series = await createSeries(coach);
      const before = await upcoming(series.id);
      expect(before.length).toBe(8);
      const running = before[0] as TChatEventSummary;
      await runEventNow(server.ctx.db, running.id, 5);
      const recurrence = { frequency: "weekly", weekday: "TH", startTime: "19:30", timeZone: "America/Chicago", startsOn: "2026-01-01" } as const;
      const res = await coach.patch<TChatSeries>(`/api/v1/chats/series/${series.id}`, { recurrence, durationMinutes: 45 });
      expect(res.status).toBe(200);
      expect(res.body.recurrence).toMatchObject(recurrence);
      expect(res.body.rrule).toContain("DTSTART;TZID=America/Chicago");
      expect(res.body.rrule).toContain("BYDAY=TH");
      const after = await upcoming(series.id);
      expect(after[0]?.id).toBe(running.id);
      expect(after.length).toBe(8);
      for (const e of after.slice(1)) {
        expect(local(e.startsAt, "America/Chicago")).toBe("Thu 19:30");
        expect(Date.parse(e.endsAt) - Date.parse(e.startsAt)).toBe(45 * 60_000);
      }
      // The old Wednesdays are cancelled (their jobs then do nothing), not listed, and not deleted.
      const old = await coach.get<TChatEvent>(`/api/v1/chats/events/${before[1]?.id}`);
      expect(old.body.phase).toBe("cancelled");
      // The series' question plan came with the new events.
      const fresh = await coach.get<TChatEvent>(`/api/v1/chats/events/${after[1]?.id}`);
      expect(fresh.body.questions.map((q) => q.label)).toEqual(["Q1", "Q2", "Closing"]);
    });

    it("puts a cancelled event back when the schedule returns to it, and only a length change keeps the days", async () => {
      const series = await createSeries(coach);
      const before = await upcoming(series.id);
      await coach.patch(`/api/v1/chats/series/${series.id}`, { recurrence: { ...series.recurrence, weekday: "TU" } });
      const back = await coach.patch<TChatSeries>(`/api/v1/chats/series/${series.id}`, { recurrence: series.recurrence, durationMinutes: 60 });
      expect(back.status).toBe(200);
      const after = await upcoming(series.id);
      expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
      expect(after.every((e) => Date.parse(e.endsAt) - Date.parse(e.startsAt) === 60 * 60_000)).toBe(true);
    });

    it("refuses a bad rule with the field named, and the change to co-moderators and outsiders", async () => {
      const series = await createSeries(coach, { coModeratorIds: [coModeratorId] });
      const bad = await coach.patch(`/api/v1/chats/series/${series.id}`, { recurrence: { ...series.recurrence, startTime: "9pm" } });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("body.recurrence.startTime");
      expect((await coModerator.patch(`/api/v1/chats/series/${series.id}`, { recurrence: { ...series.recurrence, weekday: "MO" } })).status).toBe(403);
      expect((await upcoming(series.id)).every((e) => local(e.startsAt, "America/New_York") === "Wed 21:00")).toBe(true);
    });

    it("keeps a webhook's secret when its address changes, replaces it, and clears it with null; never shows it", async () => {
      const series = await createSeries(coach, { webhooks: [{ label: "Slack", url: "https://hooks.example/a", secret: "first-secret-of-length" }] });
      const hook = series.webhooks[0];
      if (!hook) throw new Error("no webhook");
      const moved = await coach.patch<TChatSeries>(`/api/v1/chats/series/${series.id}`, { webhooks: [{ id: hook.id, label: "Slack", url: "https://hooks.example/b" }] });
      expect(moved.body.webhooks).toEqual([{ id: hook.id, label: "Slack", url: "https://hooks.example/b", hasSecret: true }]);
      const replaced = await coach.patch<TChatSeries>(`/api/v1/chats/series/${series.id}`, { webhooks: [{ id: hook.id, label: "Slack", url: "https://hooks.example/b", secret: "second-secret-of-length" }] });
      expect(replaced.text).not.toContain("second-secret-of-length");
      expect(replaced.body.webhooks[0]?.hasSecret).toBe(true);
      const cleared = await coach.patch<TChatSeries>(`/api/v1/chats/series/${series.id}`, { webhooks: [{ id: hook.id, label: "Slack", url: "https://hooks.example/b", secret: null }] });
      expect(cleared.body.webhooks[0]?.hasSecret).toBe(false);
      const short = await coach.patch(`/api/v1/chats/series/${series.id}`, { webhooks: [{ label: "Slack", url: "https://hooks.example/b", secret: "short" }] });
      expect(short.status).toBe(400);
      expect(short.text).toContain("body.webhooks.0.secret");
    });

    it("says who made a group", async () => {
      const created = await coach.post<TChatGroup>("/api/v1/chats/groups", { name: "Between chats", memberIds: [teacherId] });
      expect(created.status).toBe(201);
      const me = await coach.get<{ person: { id: string } }>("/api/v1/me");
      expect(created.body.createdBy).toBe(me.body.person.id);
      expect(created.body.members.map((m) => m.personId).sort()).toEqual([me.body.person.id, teacherId].sort());
    });
  });
}
