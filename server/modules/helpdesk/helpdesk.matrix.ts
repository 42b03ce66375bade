import type { TDepartment, TTicket } from "../../../shared/schemas/helpdesk.js";
import { unique } from "../../../tests/helpers/factories.js";
import {
  adminOnly,
  hidden,
  must,
  na,

  sees,
  signedIn,
  worldRecords,
  type ActorKey,
  type Cell,
  type Expectation,
  type MatrixWorld,
  type ModuleMatrix,
  type Principal,
} from "../../../tests/helpers/matrix.js";

// The help desk. Targets: `self` a ticket the actor filed; `own` a student's ticket at school A (the
// student help desk); `other` a student's ticket at school B; `private` a teacher's ticket at school A
// (the staff queue: student assistants never see it). Desk staff (admins, coaches, IT staff) work every
// queue at their schools; student assistants the student help desk at theirs; leaders read reports and
// the punch list; everyone files and reads their own.

type Records = {
  studentA: Principal;
  studentB: Principal;
  teacherA: Principal;
  own: TTicket;
  other: TTicket;
  private: TTicket;
  self: Partial<Record<ActorKey, TTicket>>;
  queueId: string;
  department: TDepartment;
  contactId: string;
  linkToken: string;
  numberA: string;
  numberB: string;
  photo: { own: string; other: string; private: string };
  deviceModelId: string;
};
const records = worldRecords<Records>();
const SIGNED_IN: readonly ActorKey[] = ["district_admin", "district_coach", "school_coach", "school_leader", "it_staff", "teacher", "student_tech", "student"];

const file = (world: MatrixWorld, who: Principal, schoolId: string, body: Record<string, unknown> = {}) =>
  must<TTicket>(world, who, "POST", "/api/v1/helpdesk/tickets", 201, { schoolId, categoryKey: "not_working", description: "Matrix", location: "Room 1", ...body });
const fresh = (where: "own" | "other") => (world: MatrixWorld) => {
  const r = records.of(world);
  return where === "own" ? file(world, r.studentA, world.schoolA.id) : file(world, r.studentB, world.schoolB.id);
};
/** A fresh ticket the district's root admin took (in progress). */
const taken = (where: "own" | "other") => async (world: MatrixWorld) => {
  const t = await fresh(where)(world);
  await must(world, world.root, "POST", `/api/v1/helpdesk/tickets/${t.id}/take`, 200);
  return t;
};
const escalated = (where: "own" | "other") => async (world: MatrixWorld) => {
  const t = await taken(where)(world);
  await must(world, world.root, "POST", `/api/v1/helpdesk/tickets/${t.id}/escalate`, 200, { departmentId: records.of(world).department.id, dueOn: "2099-01-01" });
  return t;
};
/** A student's ticket about a device of the same school (both made fresh per cell). */
const withDevice = (where: "own" | "other") => async (world: MatrixWorld) => {
  const r = records.of(world);
  const schoolId = where === "own" ? world.schoolA.id : world.schoolB.id;
  const asset = await must<{ id: string }>(world, world.root, "POST", "/api/v1/devices/assets", 201, { tag: unique("HD-"), serial: unique("SN"), modelId: r.deviceModelId, schoolId });
  return file(world, where === "own" ? r.studentA : r.studentB, schoolId, { categoryKey: "broken", assetId: asset.id });
};
async function uploadPhoto(world: MatrixWorld, ticketId: string): Promise<string> {
  // The smallest valid GIF, sent as bytes.
  const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==", "base64");
  const res = await fetch(`${world.server.baseUrl}/api/v1/helpdesk/tickets/${ticketId}/attachments`, {
    method: "POST",
    headers: { "content-type": "image/gif", cookie: world.root.cookie ?? "", "x-csrf-token": world.root.csrfToken ?? "" },
    body: new Uint8Array(gif),
  });
  if (res.status !== 201) throw new Error(`photo upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
const selfOf = (c: Cell): TTicket => {
  const t = records.of(c.world).self[c.actor];
  if (!t) throw new Error(`${c.actor} has no ticket`);
  return t;
};
const has = (text: string) => (res: { text: string }) => res.text.includes(text);
const NONE = na("anonymous callers file no tickets");

/** Per target: the answer for those who may read the ticket (`ok`), and 403 for the rest. */
const read = (ok: Expectation) =>
  ({
    ...signedIn({ self: ok, own: 403, other: 403, private: 403 }),
    district_admin: { self: ok, own: ok, other: ok, private: ok },
    district_coach: { self: ok, own: ok, other: ok, private: ok },
    school_coach: { self: ok, own: ok, other: 403, private: ok },
    it_staff: { self: ok, own: ok, other: 403, private: ok },
    student_tech: { self: ok, own: ok, other: 403, private: 403 },
    anonymous: { self: NONE, own: 401, other: 401, private: 401 },
  }) satisfies Record<ActorKey, unknown>;

/** Working a student's ticket at school A (`own`) or B (`other`). */
const work = (ok: Expectation) =>
  ({
    ...signedIn({ own: 403, other: 403 }),
    district_admin: ok,
    district_coach: ok,
    school_coach: { own: ok, other: 403 },
    it_staff: { own: ok, other: 403 },
    student_tech: { own: ok, other: 403 },
  }) satisfies Record<ActorKey, unknown>;
const staffWork = (ok: Expectation) => ({ ...work(ok), student_tech: { own: 403, other: 403 } });
const deskMembers = (ok: Expectation) => ({ ...signedIn(403), district_admin: ok, district_coach: ok, school_coach: ok, it_staff: ok, student_tech: ok });
const deskStaff = (ok: Expectation) => ({ ...deskMembers(ok), student_tech: 403 });
const reporters = (ok: Expectation) => ({ ...deskStaff(ok), school_leader: ok });

export const helpdeskMatrix: ModuleMatrix = {
  module: "helpdesk",
  async seed(world) {
    const sa = await world.makePerson([{ role: "student", school: "A" }]);
    const studentA = await world.signIn(sa, "student");
    const sb = await world.makePerson([{ role: "student", school: "B" }]);
    const studentB = await world.signIn(sb, "student");
    const teacherA = await world.signIn(world.teacherA2, "teacher");
    const numberA = unique("SA");
    const numberB = unique("SB");
    await must(world, world.root, "PATCH", `/api/v1/people/${sa.id}`, 200, { studentNumber: numberA });
    await must(world, world.root, "PATCH", `/api/v1/people/${sb.id}`, 200, { studentNumber: numberB });
    const own = await file(world, studentA, world.schoolA.id);
    const other = await file(world, studentB, world.schoolB.id);
    const priv = await file(world, teacherA, world.schoolA.id);
    const self: Records["self"] = {};
    for (const actor of SIGNED_IN) self[actor] = await file(world, world.principal(actor, "session"), world.schoolA.id);
    // Resolved by the root admin, so each actor can rate their own.
    const queues = await must<{ items: { id: string }[] }>(world, world.root, "GET", "/api/v1/helpdesk/queues", 200);
    const department = await must<TDepartment>(world, world.root, "POST", "/api/v1/helpdesk/departments", 201, { name: unique("Facilities "), kind: "department" });
    const withContact = await must<TDepartment>(world, world.root, "POST", `/api/v1/helpdesk/departments/${department.id}/contacts`, 201, { name: "Lead" });
    const contactId = withContact.contacts[0]?.id ?? "";
    const link = await must<{ token: string }>(world, world.root, "POST", `/api/v1/helpdesk/departments/${department.id}/contacts/${contactId}/link`, 201);
    const photo = { own: await uploadPhoto(world, own.id), other: await uploadPhoto(world, other.id), private: await uploadPhoto(world, priv.id) };
    const model = await must<{ id: string }>(world, world.root, "POST", "/api/v1/devices/models", 201, { name: unique("Matrix book "), maker: "Acme", kind: "laptop" });
    records.set(world, { studentA, studentB, teacherA, own, other, private: priv, self, queueId: queues.items[0]?.id ?? "", department, contactId, linkToken: link.token, numberA, numberB, photo, deviceModelId: model.id });
  },
  routes: [
    { route: "GET /api/v1/helpdesk/categories", targets: { any: () => ({ path: "/api/v1/helpdesk/categories" }) }, expect: signedIn(200) },
    { route: "GET /api/v1/helpdesk/queues", targets: { any: () => ({ path: "/api/v1/helpdesk/queues" }) }, expect: deskMembers(200) },
    { route: "GET /api/v1/helpdesk/settings", targets: { any: () => ({ path: "/api/v1/helpdesk/settings" }) }, expect: adminOnly(200) },
    { route: "POST /api/v1/helpdesk/categories", targets: { any: () => ({ path: "/api/v1/helpdesk/categories", body: { name: unique("Matrix category ") } }) }, expect: adminOnly(201) },
    {
      route: "PATCH /api/v1/helpdesk/categories/:id",
      targets: {
        any: async ({ world }) => {
          const name = unique("Matrix renamed ");
          const made = await must<{ categories: { id: string; name: string }[] }>(world, world.root, "POST", "/api/v1/helpdesk/categories", 201, { name });
          return { path: `/api/v1/helpdesk/categories/${made.categories.find((c) => c.name === name)?.id ?? ""}`, body: { sortOrder: 50 } };
        },
      },
      expect: adminOnly(200),
    },
    {
      route: "PUT /api/v1/helpdesk/sla-targets",
      targets: { any: ({ world }) => ({ path: "/api/v1/helpdesk/sla-targets", body: { targets: [{ categoryId: records.of(world).own.category.id, priority: "low", responseMinutes: 1440, resolutionMinutes: 7200 }] } }) },
      expect: adminOnly(200),
    },
    { route: "POST /api/v1/helpdesk/queues", targets: { any: () => ({ path: "/api/v1/helpdesk/queues", body: { name: unique("Matrix queue "), audience: "staff" } }) }, expect: adminOnly(201) },
    {
      route: "PATCH /api/v1/helpdesk/queues/:id",
      targets: {
        any: async ({ world }) => {
          const name = unique("Matrix queue ");
          const made = await must<{ queues: { id: string; name: string }[] }>(world, world.root, "POST", "/api/v1/helpdesk/queues", 201, { name, audience: "district" });
          return { path: `/api/v1/helpdesk/queues/${made.queues.find((q) => q.name === name)?.id ?? ""}`, body: { name: `${name} renamed`, status: "retired" } };
        },
      },
      expect: adminOnly(200),
    },
    {
      route: "PUT /api/v1/helpdesk/queues/:id/members",
      targets: { any: ({ world }) => ({ path: `/api/v1/helpdesk/queues/${records.of(world).queueId}/members`, body: { personIds: [] } }) },
      expect: adminOnly(200),
    },
    { route: "GET /api/v1/helpdesk/canned-replies", targets: { any: () => ({ path: "/api/v1/helpdesk/canned-replies" }) }, expect: deskMembers(200) },
    { route: "POST /api/v1/helpdesk/canned-replies", targets: { any: () => ({ path: "/api/v1/helpdesk/canned-replies", body: { title: unique("Restart "), body: "Please restart it" } }) }, expect: adminOnly(201) },
    {
      route: "DELETE /api/v1/helpdesk/canned-replies/:id",
      targets: {
        any: async ({ world }) => {
          const title = unique("Gone ");
          const { items } = await must<{ items: { id: string; title: string }[] }>(world, world.root, "POST", "/api/v1/helpdesk/canned-replies", 201, { title, body: "x" });
          return { path: `/api/v1/helpdesk/canned-replies/${items.find((i) => i.title === title)?.id ?? ""}` };
        },
      },
      expect: adminOnly(204),
    },

    // ---- Tickets ----
    {
      route: "GET /api/v1/helpdesk/tickets",
      targets: {
        self: (c) => ({ path: "/api/v1/helpdesk/tickets?limit=200", isList: true, probe: has(selfOf(c).id) }),
        own: ({ world }) => ({ path: "/api/v1/helpdesk/tickets?limit=200", isList: true, probe: has(records.of(world).own.id) }),
        other: ({ world }) => ({ path: "/api/v1/helpdesk/tickets?limit=200", isList: true, probe: has(records.of(world).other.id) }),
        private: ({ world }) => ({ path: "/api/v1/helpdesk/tickets?limit=200", isList: true, probe: has(records.of(world).private.id) }),
      },
      expect: {
        ...signedIn({ self: sees(200), own: hidden(200), other: hidden(200), private: hidden(200) }),
        district_admin: { self: sees(200), own: sees(200), other: sees(200), private: sees(200) },
        district_coach: { self: sees(200), own: sees(200), other: sees(200), private: sees(200) },
        school_coach: { self: sees(200), own: sees(200), other: hidden(200), private: sees(200) },
        it_staff: { self: sees(200), own: sees(200), other: hidden(200), private: sees(200) },
        student_tech: { self: sees(200), own: sees(200), other: hidden(200), private: hidden(200) },
        anonymous: { self: NONE, own: 401, other: 401, private: 401 },
      },
    },
    {
      route: "POST /api/v1/helpdesk/tickets",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/helpdesk/tickets", body: { schoolId: world.schoolA.id, categoryKey: "other", description: "Mine" } }),
        other: ({ world }) => ({ path: "/api/v1/helpdesk/tickets", body: { schoolId: world.schoolB.id, categoryKey: "other", description: "Mine" } }),
      },
      expect: { ...signedIn({ own: 201, other: 403 }), district_admin: 201, district_coach: 201 },
    },
    {
      route: "GET /api/v1/helpdesk/tickets/:id",
      targets: {
        self: (c) => ({ path: `/api/v1/helpdesk/tickets/${selfOf(c).id}` }),
        own: ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${records.of(world).own.id}` }),
        other: ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${records.of(world).other.id}` }),
        private: ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${records.of(world).private.id}` }),
      },
      expect: read(200),
    },
    {
      route: "PATCH /api/v1/helpdesk/tickets/:id",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("own")(world)).id}`, body: { priority: "high" } }),
        other: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("other")(world)).id}`, body: { priority: "high" } }),
      },
      expect: work(200),
    },
    {
      route: "POST /api/v1/helpdesk/tickets/:id/take",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("own")(world)).id}/take` }),
        other: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("other")(world)).id}/take` }),
      },
      expect: work(200),
    },
    {
      route: "POST /api/v1/helpdesk/tickets/:id/messages",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("own")(world)).id}/messages`, body: { visibility: "note", body: "Checked" } }),
        other: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await fresh("other")(world)).id}/messages`, body: { visibility: "note", body: "Checked" } }),
      },
      expect: work(201),
    },
    {
      route: "POST /api/v1/helpdesk/tickets/:id/rating",
      targets: {
        self: async ({ world, actor }) => {
          const t = await file(world, world.principal(actor, "session"), world.schoolA.id);
          await must(world, world.root, "POST", `/api/v1/helpdesk/tickets/${t.id}/take`, 200);
          await must(world, world.root, "PATCH", `/api/v1/helpdesk/tickets/${t.id}`, 200, { status: "resolved" });
          return { path: `/api/v1/helpdesk/tickets/${t.id}/rating`, body: { score: 5 } };
        },
        own: async ({ world }) => {
          const t = await taken("own")(world);
          await must(world, world.root, "PATCH", `/api/v1/helpdesk/tickets/${t.id}`, 200, { status: "resolved" });
          return { path: `/api/v1/helpdesk/tickets/${t.id}/rating`, body: { score: 5 } };
        },
      },
      expect: { ...signedIn({ self: 201, own: 403 }), anonymous: { self: NONE, own: 401 } },
    },
    {
      route: "POST /api/v1/helpdesk/tickets/:id/escalate",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await taken("own")(world)).id}/escalate`, body: { departmentId: records.of(world).department.id, dueOn: "2099-01-01" } }),
        other: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await taken("other")(world)).id}/escalate`, body: { departmentId: records.of(world).department.id, dueOn: "2099-01-01" } }),
      },
      expect: staffWork(200),
    },
    {
      // The devices module decides who sends a device to repair: those who manage devices at its school.
      route: "POST /api/v1/helpdesk/tickets/:id/repair",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await withDevice("own")(world)).id}/repair`, body: { note: "Cracked screen" } }),
        other: async ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${(await withDevice("other")(world)).id}/repair`, body: { note: "Cracked screen" } }),
      },
      expect: { ...signedIn(403), district_admin: 200, it_staff: { own: 200, other: 403 } },
    },
    {
      route: "GET /api/v1/helpdesk/kiosk/students/:number",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/helpdesk/kiosk/students/${records.of(world).numberA}` }),
        other: ({ world }) => ({ path: `/api/v1/helpdesk/kiosk/students/${records.of(world).numberB}` }),
      },
      expect: work(200),
    },
    {
      route: "POST /api/v1/helpdesk/tickets/:id/attachments",
      targets: {
        // Not an image: who may add photos hears 415 (nothing stored), everyone else 403 first.
        own: ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${records.of(world).own.id}/attachments`, raw: { body: "not an image", contentType: "image/png" } }),
        other: ({ world }) => ({ path: `/api/v1/helpdesk/tickets/${records.of(world).other.id}/attachments`, raw: { body: "not an image", contentType: "image/png" } }),
      },
      expect: work(415),
    },
    {
      route: "GET /api/v1/helpdesk/attachments/:id",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/helpdesk/attachments/${records.of(world).photo.own}` }),
        other: ({ world }) => ({ path: `/api/v1/helpdesk/attachments/${records.of(world).photo.other}` }),
        private: ({ world }) => ({ path: `/api/v1/helpdesk/attachments/${records.of(world).photo.private}` }),
      },
      expect: (() => {
        const r = read(200);
        const strip = (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== "self"));
        return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, strip(v as Record<string, unknown>)])) as Record<ActorKey, Record<string, Expectation>>;
      })(),
    },

    // ---- Departments, contacts, links ----
    { route: "GET /api/v1/helpdesk/departments", targets: { any: () => ({ path: "/api/v1/helpdesk/departments" }) }, expect: deskStaff(200) },
    { route: "POST /api/v1/helpdesk/departments", targets: { any: () => ({ path: "/api/v1/helpdesk/departments", body: { name: unique("Dept "), kind: "contractor" } }) }, expect: adminOnly(201) },
    {
      route: "PATCH /api/v1/helpdesk/departments/:id",
      targets: { any: ({ world }) => ({ path: `/api/v1/helpdesk/departments/${records.of(world).department.id}`, body: { status: "active" } }) },
      expect: adminOnly(200),
    },
    {
      route: "POST /api/v1/helpdesk/departments/:id/contacts",
      targets: { any: ({ world }) => ({ path: `/api/v1/helpdesk/departments/${records.of(world).department.id}/contacts`, body: { name: unique("Contact ") } }) },
      expect: adminOnly(201),
    },
    {
      route: "POST /api/v1/helpdesk/departments/:id/contacts/:contactId/link",
      targets: {
        any: async ({ world }) => {
          const d = await must<TDepartment>(world, world.root, "POST", `/api/v1/helpdesk/departments/${records.of(world).department.id}/contacts`, 201, { name: unique("Linked ") });
          const c = d.contacts.find((x) => !x.hasLink && x.id !== records.of(world).contactId);
          return { path: `/api/v1/helpdesk/departments/${d.id}/contacts/${c?.id ?? ""}/link` };
        },
      },
      expect: adminOnly(201),
    },
    {
      route: "DELETE /api/v1/helpdesk/departments/:id/contacts/:contactId/link",
      targets: {
        any: async ({ world }) => {
          const name = unique("Revoked ");
          const d = await must<TDepartment>(world, world.root, "POST", `/api/v1/helpdesk/departments/${records.of(world).department.id}/contacts`, 201, { name });
          const c = d.contacts.find((x) => x.name === name);
          return { path: `/api/v1/helpdesk/departments/${d.id}/contacts/${c?.id ?? ""}/link` };
        },
      },
      expect: adminOnly(204),
    },

    // ---- Punch list ----
    { route: "GET /api/v1/helpdesk/punch-list", targets: { any: () => ({ path: "/api/v1/helpdesk/punch-list" }) }, expect: reporters(200) },
    {
      route: "POST /api/v1/helpdesk/punch-list/fixed",
      targets: {
        own: async ({ world }) => ({ path: "/api/v1/helpdesk/punch-list/fixed", body: { ticketIds: [(await escalated("own")(world)).id] } }),
        other: async ({ world }) => ({ path: "/api/v1/helpdesk/punch-list/fixed", body: { ticketIds: [(await escalated("other")(world)).id] } }),
      },
      expect: { ...signedIn(403), district_admin: 200, district_coach: 200, school_coach: { own: 200, other: 403 }, school_leader: { own: 200, other: 403 }, it_staff: { own: 200, other: 403 } },
    },
    {
      route: "GET /api/v1/helpdesk/punch/:token",
      targets: { any: ({ world }) => ({ path: `/api/v1/helpdesk/punch/${records.of(world).linkToken}` }) },
      expect: { ...signedIn(200), anonymous: 200 },
    },
    {
      route: "POST /api/v1/helpdesk/punch/:token/fixed",
      targets: { any: async ({ world }) => ({ path: `/api/v1/helpdesk/punch/${records.of(world).linkToken}/fixed`, body: { ticketIds: [(await escalated("other")(world)).id] } }) },
      expect: { ...signedIn(200), anonymous: 200 },
    },
    {
      route: "POST /api/v1/helpdesk/punch/:token/fixed-form",
      sessionless: "the contractor's page's plain HTML form: it reads no session; a form token bound to the link and a same-origin check guard it",
      targets: {
        any: async ({ world }) => {
          const token = records.of(world).linkToken;
          const html = await (await fetch(`${world.server.baseUrl}/api/v1/helpdesk/punch/${token}?format=html`)).text();
          const formToken = /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? "";
          const id = (await escalated("other")(world)).id;
          return { path: `/api/v1/helpdesk/punch/${token}/fixed-form`, raw: { body: new URLSearchParams([["formToken", formToken], ["ticketId", id]]).toString(), contentType: "application/x-www-form-urlencoded" } };
        },
      },
      expect: { ...signedIn(303), anonymous: 303 },
    },

    // ---- Reports ----
    { route: "GET /api/v1/helpdesk/reports", targets: { any: () => ({ path: "/api/v1/helpdesk/reports" }) }, expect: reporters(200) },
    { route: "GET /api/v1/helpdesk/scores", targets: { any: () => ({ path: "/api/v1/helpdesk/scores" }) }, expect: { ...reporters(200), student_tech: 200 } },
  ],
};

