import type { TChatEvent, TChatEventSummary, TChatGroup, TChatPost, TChatQuestion, TChatSeries } from "../../../shared/schemas/chats.js";
import { runEventNow, seriesRequest } from "../../../tests/helpers/chats.js";
import { everyone, must, signedIn, worldRecords, type Cell, type CellRequest, type MatrixWorld, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Community chats. Targets: `own` a series for school A's staff (schools audience [A]), `other` one for
// school B's; `any` a public series. The district admin (root) made them all, so it moderates them;
// no other actor moderates. Both rooms are running (moved to now); the public series has an ended event.

type Seeded = {
  own: { seriesId: string; eventId: string; postId: string; participantId: string; calendarToken: string };
  other: { seriesId: string; eventId: string; postId: string; participantId: string; calendarToken: string };
  publicSeriesId: string;
  endedEventId: string;
  memberIds: string[];
};
const records = worldRecords<Seeded>();
// The moderation request's own field, not an audit action code (the audit-label test reads `action: "…"`).
const MODERATION = "hide";

async function seedSeries(world: MatrixWorld, school: "A" | "B") {
  const series = await must<TChatSeries>(world, world.root, "POST", "/api/v1/chats/series", 201, seriesRequest({ audience: "schools", audienceSchoolIds: [school === "A" ? world.schoolA.id : world.schoolB.id] }));
  const events = await must<{ items: TChatEventSummary[] }>(world, world.root, "GET", `/api/v1/chats/series/${series.id}/events`, 200);
  const eventId = events.items[0]?.id ?? "";
  await runEventNow(world.server.ctx.db, eventId, 1);
  const post = await must<TChatPost>(world, world.root, "POST", `/api/v1/chats/events/${eventId}/posts`, 201, { body: "Welcome, everyone" });
  return { seriesId: series.id, eventId, postId: post.id, participantId: post.author.participantId, calendarToken: series.calendarUrl?.split("/").pop()?.replace(".ics", "") ?? "" };
}

const own = (f: (s: Seeded["own"], cell: Cell) => CellRequest | Promise<CellRequest>) => ({
  own: (cell: Cell) => f(records.of(cell.world).own, cell),
  other: (cell: Cell) => f(records.of(cell.world).other, cell),
});

/** Who sees a schools-only series: admins, district-wide staff, and staff of its school; never students. */
const sees = (status: number) => ({
  ...signedIn(403),
  district_admin: status,
  district_coach: status,
  school_coach: { own: status, other: 403 },
  school_leader: { own: status, other: 403 },
  it_staff: { own: status, other: 403 },
  teacher: { own: status, other: 403 },
});
/** Only the series' moderators (here the admin who made it). */
const moderators = (status: number) => ({ ...signedIn(403), district_admin: status });
const hosts = (status: number) => ({ ...signedIn(403), district_admin: status, district_coach: status, school_coach: status });
const staffMembers = (status: number) => ({ ...signedIn(status), student_tech: 404, student: 404 });

/** A question of a fresh upcoming event of a series like `s` (an event holds at most 12 questions). */
async function freshQuestion(cell: Cell, s: Seeded["own"]): Promise<TChatQuestion> {
  const { world } = cell;
  const target = await must<TChatSeries>(world, world.root, "GET", `/api/v1/chats/series/${s.seriesId}`, 200);
  const series = await must<TChatSeries>(world, world.root, "POST", "/api/v1/chats/series", 201, seriesRequest({ audience: "schools", audienceSchoolIds: target.audienceSchoolIds, questionPlan: [] }));
  const events = await must<{ items: TChatEventSummary[] }>(world, world.root, "GET", `/api/v1/chats/series/${series.id}/events`, 200);
  return must<TChatQuestion>(world, world.root, "POST", `/api/v1/chats/events/${events.items[0]?.id ?? ""}/questions`, 201, { text: "A fresh question", offsetMinutes: 20 });
}

let guests = 0;
async function freshVerifyToken(world: MatrixWorld): Promise<string> {
  const email = `guest${++guests}.${Date.now().toString(36)}@example.com`;
  await must(world, world.root, "POST", `/api/v1/chats/public/series/${records.of(world).publicSeriesId}/guests`, 201, { name: "Pat Guest", email });
  const mail = await world.server.ctx.db.selectFrom("outbox").select("body_text").where("to_address", "=", email).executeTakeFirstOrThrow();
  return decodeURIComponent(/token=([\w%-]+)/.exec(mail.body_text)?.[1] ?? "");
}

async function freshGroup(world: MatrixWorld): Promise<TChatGroup> {
  return must<TChatGroup>(world, world.root, "POST", "/api/v1/chats/groups", 201, { name: "Between chats", seriesId: null, memberIds: records.of(world).memberIds });
}

export const chatsMatrix: ModuleMatrix = {
  module: "chats",
  async seed(world) {
    const ownSeries = await seedSeries(world, "A");
    const otherSeries = await seedSeries(world, "B");
    const pub = await must<TChatSeries>(world, world.root, "POST", "/api/v1/chats/series", 201, seriesRequest({ audience: "public" }));
    const events = await must<{ items: TChatEventSummary[] }>(world, world.root, "GET", `/api/v1/chats/series/${pub.id}/events`, 200);
    const endedEventId = events.items[0]?.id ?? "";
    await runEventNow(world.server.ctx.db, endedEventId, 120);
    const staff = (["district_coach", "school_coach", "school_leader", "it_staff", "teacher"] as const).map((k) => world.people[k].id);
    records.set(world, { own: ownSeries, other: otherSeries, publicSeriesId: pub.id, endedEventId, memberIds: staff });
  },
  routes: [
    { route: "GET /api/v1/chats/series", targets: { any: () => ({ path: "/api/v1/chats/series" }) }, expect: signedIn(200) },
    { route: "POST /api/v1/chats/series", targets: { any: () => ({ path: "/api/v1/chats/series", body: seriesRequest() }) }, expect: hosts(201) },
    { route: "GET /api/v1/chats/series/:id", targets: own((s) => ({ path: `/api/v1/chats/series/${s.seriesId}` })), expect: sees(200) },
    { route: "PATCH /api/v1/chats/series/:id", targets: own((s) => ({ path: `/api/v1/chats/series/${s.seriesId}`, body: { description: "Changed" } })), expect: moderators(200) },
    { route: "GET /api/v1/chats/series/:id/events", targets: own((s) => ({ path: `/api/v1/chats/series/${s.seriesId}/events` })), expect: sees(200) },
    { route: "GET /api/v1/chats/series/:id/analytics", targets: own((s) => ({ path: `/api/v1/chats/series/${s.seriesId}/analytics` })), expect: moderators(200) },
    { route: "GET /api/v1/chats/calendar/:token", targets: { own: ({ world }) => ({ path: `/api/v1/chats/calendar/${records.of(world).own.calendarToken}.ics` }) }, expect: everyone(200) },
    { route: "GET /api/v1/chats/events/:id", targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}` })), expect: sees(200) },
    {
      route: "POST /api/v1/chats/events/:id/questions",
      targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}/questions`, body: { text: "Another question", offsetMinutes: 25 } })),
      expect: moderators(201),
    },
    {
      route: "PATCH /api/v1/chats/questions/:id",
      targets: own(async (s, cell) => ({ path: `/api/v1/chats/questions/${(await freshQuestion(cell, s)).id}`, body: { text: "Edited" } })),
      expect: moderators(200),
    },
    {
      route: "DELETE /api/v1/chats/questions/:id",
      targets: own(async (s, cell) => ({ path: `/api/v1/chats/questions/${(await freshQuestion(cell, s)).id}` })),
      expect: moderators(200),
    },
    {
      route: "POST /api/v1/chats/questions/:id/post",
      targets: own(async (s, cell) => ({ path: `/api/v1/chats/questions/${(await freshQuestion(cell, s)).id}/post` })),
      expect: moderators(200),
    },
    { route: "GET /api/v1/chats/events/:id/changes", targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}/changes?after=0` })), expect: sees(200) },
    { route: "POST /api/v1/chats/events/:id/posts", targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}/posts`, body: { body: "My answer" } })), expect: sees(201) },
    { route: "POST /api/v1/chats/posts/:id/like", targets: own((s) => ({ path: `/api/v1/chats/posts/${s.postId}/like` })), expect: sees(200) },
    {
      route: "POST /api/v1/chats/posts/:id/moderate",
      targets: own(async (s, cell) => {
        const post = await must<TChatPost>(cell.world, cell.world.root, "POST", `/api/v1/chats/events/${s.eventId}/posts`, 201, { body: "To hide" });
        return { path: `/api/v1/chats/posts/${post.id}/moderate`, body: { action: MODERATION } };
      }),
      expect: moderators(200),
    },
    {
      route: "POST /api/v1/chats/events/:id/mutes",
      targets: own(async (s, cell) => {
        const someone = await cell.world.makePerson([{ role: "coach", school: null }]);
        const p = await cell.world.signIn(someone);
        const post = await must<TChatPost>(cell.world, p, "POST", `/api/v1/chats/events/${s.eventId}/posts`, 201, { body: "Loud" });
        return { path: `/api/v1/chats/events/${s.eventId}/mutes`, body: { participantId: post.author.participantId, isMuted: true } };
      }),
      expect: moderators(200),
    },
    { route: "GET /api/v1/chats/public/series/:id", targets: { any: ({ world }) => ({ path: `/api/v1/chats/public/series/${records.of(world).publicSeriesId}` }) }, expect: everyone(200) },
    {
      route: "POST /api/v1/chats/public/series/:id/guests",
      targets: { any: ({ world }) => ({ path: `/api/v1/chats/public/series/${records.of(world).publicSeriesId}/guests`, body: { name: "Pat Guest", email: "pat@example.com" } }) },
      expect: everyone(201),
    },
    {
      route: "POST /api/v1/chats/public/guests/verify",
      // A fresh guest per cell, and the token from the link in their verification email.
      targets: { any: async ({ world }) => ({ path: "/api/v1/chats/public/guests/verify", body: { token: await freshVerifyToken(world) } }) },
      expect: everyone(200),
    },
    // Only a guest (X-Chat-Guest) has an address to verify: nobody in the matrix is one (chats.test and reminders.test cover guests).
    { route: "POST /api/v1/chats/public/guests/verification", targets: { any: () => ({ path: "/api/v1/chats/public/guests/verification" }) }, expect: everyone(401) },
    { route: "GET /api/v1/chats/public/events/:id/transcript", targets: { any: ({ world }) => ({ path: `/api/v1/chats/public/events/${records.of(world).endedEventId}/transcript` }) }, expect: everyone(200) },
    { route: "GET /api/v1/chats/events/:id/transcript", targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}/transcript` })), expect: sees(200) },
    { route: "GET /api/v1/chats/events/:id/transcript.csv", targets: own((s) => ({ path: `/api/v1/chats/events/${s.eventId}/transcript.csv` })), expect: sees(200) },
    { route: "GET /api/v1/chats/groups", targets: { any: () => ({ path: "/api/v1/chats/groups" }) }, expect: signedIn(200) },
    { route: "POST /api/v1/chats/groups", targets: { any: () => ({ path: "/api/v1/chats/groups", body: { name: "Our group", memberIds: [] } }) }, expect: hosts(201) },
    {
      route: "PUT /api/v1/chats/groups/:id/members",
      targets: { any: async ({ world }) => ({ path: `/api/v1/chats/groups/${(await freshGroup(world)).id}/members`, body: { memberIds: records.of(world).memberIds } }) },
      // Members other than its creator may not change it; those outside it do not see it at all.
      expect: { ...staffMembers(403), district_admin: 404 },
    },
    {
      route: "GET /api/v1/chats/groups/:id/messages",
      targets: { any: async ({ world }) => ({ path: `/api/v1/chats/groups/${(await freshGroup(world)).id}/messages` }) },
      expect: { ...staffMembers(200), district_admin: 404 },
    },
    {
      route: "POST /api/v1/chats/groups/:id/messages",
      targets: { any: async ({ world }) => ({ path: `/api/v1/chats/groups/${(await freshGroup(world)).id}/messages`, body: { title: "Hello", body: "Between chats" } }) },
      expect: { ...staffMembers(201), district_admin: 404 },
    },
  ],
};

export type { TChatEvent };
