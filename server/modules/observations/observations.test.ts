import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TCategory, TCycle, TEntry } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TObservation, TRubric, TRubricVersion } from "../../../shared/schemas/observations.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique, districtToday } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays } from "./calendar.js";

for (const dialect of DIALECTS) {
  describe(`observations (${dialect})`, () => {
    // Shared, never changed by a test: the schools, a West teacher and leader, an East teacher. Every
    // test that observes makes its own coach (newCoach), so no test reads another's observations.
    let server: TestServer;
    let admin: ApiClient;
    let west: TSchool;
    let east: TSchool;
    let teacher: { person: TPerson; email: string };
    let teacherClient: ApiClient;
    let eastTeacher: { person: TPerson; email: string };
    let leader: ApiClient;
    let eastLeader: ApiClient;
    let tim: TRubric;

    const newCoach = async (school: TSchool = west): Promise<{ coach: ApiClient; person: TPerson }> => {
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] });
      return { coach: await signedIn(server, c.email), person: c.person };
    };
    const body = (over: Record<string, unknown> = {}) => ({
      schoolId: west.id,
      teacherId: teacher.person.id,
      subject: "Science",
      grade: "07",
      date: districtToday(),
      startTime: "09:10",
      durationMinutes: 20,
      levels: { active: "adaptation", collaborative: "entry", constructive: null, authentic: "infusion" },
      technology: [{ name: "Probeware" }],
      evidence: "Groups logged readings in a shared sheet.",
      feedback: "Strong group roles.",
      nextStep: "Let groups pick their own tool for the write-up.",
      ...over,
    });
    const observe = async (coach: ApiClient, over: Record<string, unknown> = {}): Promise<TObservation> => {
      const res = await coach.post<TObservation>("/api/v1/observations", body(over));
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const rowsFor = async (observerId: string) =>
      server.ctx.db.selectFrom("observations").select(["id", "deleted_at"]).where("observer_id", "=", observerId).execute();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      west = await makeSchool(admin, { name: "West Middle" });
      east = await makeSchool(admin, { name: "East High", level: "high" });
      teacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ana", familyName: "Ruiz" });
      teacherClient = await signedIn(server, teacher.email);
      eastTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }] });
      leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: west.id }] })).email);
      eastLeader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: east.id }] })).email);
      const rubrics = await admin.get<{ items: TRubric[] }>("/api/v1/observations/rubrics");
      expect(rubrics.status, rubrics.text).toBe(200);
      const found = rubrics.body.items.find((r) => r.key === "tim");
      if (!found) throw new Error("no TIM rubric");
      tim = found;
    });
    afterAll(async () => server.close());

    it("seeds the Technology Integration Matrix once: 5 characteristics × 5 levels, a descriptor per cell", async () => {
      expect(tim.isDefault).toBe(true);
      const def = tim.currentVersion.definition;
      expect(def.dimensions.map((d) => d.name)).toEqual(["Active", "Collaborative", "Constructive", "Authentic", "Goal-Directed"]);
      expect(def.levels.map((l) => l.name)).toEqual(["Entry", "Adoption", "Adaptation", "Infusion", "Transformation"]);
      for (const d of def.dimensions) expect(def.descriptors[d.key]?.every((text) => text.length > 10)).toBe(true);
      // Racing first uses in a new district would still seed one copy: the key is unique per district.
      const again = await Promise.all([admin.get<{ items: TRubric[] }>("/api/v1/observations/rubrics"), teacherClient.get<{ items: TRubric[] }>("/api/v1/observations/rubrics")]);
      for (const r of again) expect(r.body.items.filter((x) => x.key === "tim")).toHaveLength(1);
      const apps = await teacherClient.get<{ items: { name: string }[] }>("/api/v1/observations/apps");
      expect(apps.body.items.map((a) => a.name)).toContain("OneNote");
    });

    it("records an observation with a level per characteristic, and stores one level row per characteristic", async () => {
      const { coach, person } = await newCoach();
      const o = await observe(coach, { status: "submitted" });
      expect(o.observer.id).toBe(person.id);
      expect(o.teacher).toEqual({ id: teacher.person.id, name: "Ana Ruiz" });
      expect(o.rubric.versionId).toBe(tim.currentVersion.id);
      expect(o.levels).toEqual({ active: "adaptation", collaborative: "entry", constructive: null, authentic: "infusion", goal_directed: null });
      expect(o.gradeBand).toBe("6-8");
      expect(o.submittedAt).not.toBeNull();
      expect(o.can).toMatchObject({ edit: true, delete: true });
      const levels = await server.ctx.db
        .selectFrom("observation_levels")
        .select(["dimension_key", "level", "in_reports"])
        .where("observation_id", "=", o.id)
        .orderBy("dimension_position")
        .execute();
      expect(levels).toEqual([
        { dimension_key: "active", level: 3, in_reports: 1 },
        { dimension_key: "collaborative", level: 1, in_reports: 1 },
        { dimension_key: "constructive", level: null, in_reports: 1 },
        { dimension_key: "authentic", level: 4, in_reports: 1 },
        { dimension_key: "goal_directed", level: null, in_reports: 1 },
      ]);
    });

    it("refuses a level outside the rubric, naming the characteristic", async () => {
      const { coach, person } = await newCoach();
      const bad = await coach.post<TErrorResponse>("/api/v1/observations", body({ levels: { active: "superb" } }));
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual({ issues: [{ path: "body.levels.active", message: expect.stringContaining('"superb" is not a level of Technology Integration Matrix version 1 for Active') }] });
      const dim = await coach.post<TErrorResponse>("/api/v1/observations", body({ levels: { playful: "entry" } }));
      expect(dim.status).toBe(400);
      expect(dim.body.error.message).toContain('body.levels.playful: "playful" is not a characteristic');
      expect(await rowsFor(person.id)).toEqual([]);
    });

    it("a duplicate sync with the same clientRef returns the first observation with 200, and one row", async () => {
      const { coach, person } = await newCoach();
      const clientRef = crypto.randomUUID();
      const first = await coach.post<TObservation>("/api/v1/observations", body({ clientRef }));
      expect(first.status).toBe(201);
      const [again, racing1, racing2] = await Promise.all([
        coach.post<TObservation>("/api/v1/observations", body({ clientRef })),
        coach.post<TObservation>("/api/v1/observations", body({ clientRef })),
        coach.post<TObservation>("/api/v1/observations", body({ clientRef })),
      ]);
      for (const r of [again, racing1, racing2]) {
        expect(r.status).toBe(200);
        expect(r.body.id).toBe(first.body.id);
      }
      expect(await rowsFor(person.id)).toHaveLength(1);
    });

    it("a sync or an edit after the observation was deleted on the server answers 410 and writes nothing", async () => {
      const { coach, person } = await newCoach();
      const clientRef = crypto.randomUUID();
      const o = await observe(coach, { clientRef });
      expect((await coach.delete(`/api/v1/observations/${o.id}`)).status).toBe(204);
      const resync = await coach.post<TErrorResponse>("/api/v1/observations", body({ clientRef }));
      expect(resync.status).toBe(410);
      expect(resync.body.error.code).toBe("gone");
      expect(resync.body.error.message).toContain("Your copy stays on your device");
      const edit = await coach.patch<TErrorResponse>(`/api/v1/observations/${o.id}`, { feedback: "late" });
      expect(edit.status).toBe(410);
      const rows = await rowsFor(person.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.deleted_at).not.toBeNull();
      const list = await coach.get<TList<TObservation>>(`/api/v1/observations?observerId=${person.id}`);
      expect(list.body.items).toEqual([]);
    });

    it("records the server's received time and refuses a lesson dated more than a day ahead (a skewed device clock)", async () => {
      const { coach } = await newCoach();
      const tomorrow = await observe(coach, { date: addDays(districtToday(), 1) });
      const received = Date.parse(tomorrow.receivedAt);
      expect(Math.abs(received - Date.now())).toBeLessThan(60_000);
      const ahead = addDays(districtToday(), 3);
      const res = await coach.post<TErrorResponse>("/api/v1/observations", body({ date: ahead }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`body.date: ${ahead} is in the future`);
      expect(res.body.error.message).toContain("check the device's date and clock");
    });

    it("editing a used rubric makes a new version; old observations keep theirs and are still checked against it", async () => {
      const name = unique("Triple E ");
      const definition = {
        dimensions: [
          { key: "engagement", name: "Engagement" },
          { key: "enhancement", name: "Enhancement" },
        ],
        levels: [
          { key: "no", name: "No" },
          { key: "somewhat", name: "Somewhat" },
          { key: "yes", name: "Yes" },
        ],
        descriptors: { engagement: ["a", "b", "c"], enhancement: ["d", "e", "f"] },
      };
      const created = await admin.post<TRubric>("/api/v1/observations/rubrics", { name, definition });
      expect(created.status, created.text).toBe(201);
      const rubric = created.body;
      // Unused: edits rewrite version 1 in place.
      const renamedLevel = { ...definition, levels: [...definition.levels.slice(0, 2), { key: "yes", name: "Yes, clearly" }] };
      const inPlace = await admin.patch<TRubric>(`/api/v1/observations/rubrics/${rubric.id}`, { definition: renamedLevel });
      expect(inPlace.body.currentVersion.id).toBe(rubric.currentVersion.id);
      expect(inPlace.body.currentVersion.version).toBe(1);

      const { coach } = await newCoach();
      const old = await observe(coach, { rubricVersionId: rubric.currentVersion.id, levels: { engagement: "yes", enhancement: "somewhat" } });
      expect(old.rubric).toMatchObject({ id: rubric.id, version: 1 });

      const fourLevels = {
        ...definition,
        levels: [{ key: "not_yet", name: "Not yet" }, ...definition.levels],
        descriptors: { engagement: ["z", "a", "b", "c"], enhancement: ["y", "d", "e", "f"] },
      };
      const edited = await admin.patch<TRubric>(`/api/v1/observations/rubrics/${rubric.id}`, { definition: fourLevels });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.currentVersion.version).toBe(2);
      expect(edited.body.currentVersion.id).not.toBe(rubric.currentVersion.id);

      const v1 = await coach.get<TRubricVersion>(`/api/v1/observations/rubric-versions/${rubric.currentVersion.id}`);
      expect(v1.body.isFrozen).toBe(true);
      expect(v1.body.definition.levels.map((l) => l.key)).toEqual(["no", "somewhat", "yes"]);
      const reread = await coach.get<TObservation>(`/api/v1/observations/${old.id}`);
      expect(reread.body.rubric.version).toBe(1);
      expect(reread.body.levels).toEqual({ engagement: "yes", enhancement: "somewhat" });
      // The old observation is still scored on version 1: version 2's new level is not one of its levels.
      const bad = await coach.patch<TErrorResponse>(`/api/v1/observations/${old.id}`, { levels: { engagement: "not_yet" } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("version 1");
      // A device that loaded version 1 before the edit and syncs afterwards still saves on version 1.
      const late = await observe(coach, { rubricVersionId: rubric.currentVersion.id, levels: { engagement: "no" } });
      expect(late.rubric.version).toBe(1);
    });

    it("refuses a rubric document that does not fit together, naming the part; the default cannot be retired", async () => {
      const bad = await admin.post<TErrorResponse>("/api/v1/observations/rubrics", {
        name: unique("Broken "),
        definition: { dimensions: [{ key: "use", name: "Use" }], levels: [{ key: "low", name: "Low" }, { key: "high", name: "High" }], descriptors: { use: ["only one"] } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual({ issues: [{ path: "body.definition.descriptors.use", message: "needs one descriptor per level (2)" }] });
      const retire = await admin.patch<TErrorResponse>(`/api/v1/observations/rubrics/${tim.id}`, { status: "retired" });
      expect(retire.status).toBe(400);
      expect(retire.body.error.message).toContain("the default rubric cannot be retired");
    });

    it("moves draft → submitted → shared, never back; only the observer edits", async () => {
      const { coach } = await newCoach();
      const o = await observe(coach);
      expect(o.status).toBe("draft");
      const submitted = await coach.patch<TObservation>(`/api/v1/observations/${o.id}`, { status: "submitted" });
      expect(submitted.body.status).toBe("submitted");
      const back = await coach.patch<TErrorResponse>(`/api/v1/observations/${o.id}`, { status: "draft" });
      expect(back.status).toBe(400);
      expect(back.body.error.message).toBe("body.status: cannot go back from submitted to draft");
      const { coach: other } = await newCoach();
      expect((await other.patch(`/api/v1/observations/${o.id}`, { feedback: "mine now" })).status).toBe(403);
      expect((await leader.patch(`/api/v1/observations/${o.id}`, { feedback: "mine now" })).status).toBe(403);
    });

    it("scope: a draft is the observer's; leaders see their school's once submitted; the teacher only once shared", async () => {
      const { coach } = await newCoach();
      const o = await observe(coach);
      const seenBy = async (who: ApiClient) => {
        const one = await who.get(`/api/v1/observations/${o.id}`);
        const list = await who.get<TList<TObservation>>(`/api/v1/observations?teacherId=${teacher.person.id}&limit=200`);
        return { one: one.status, inList: list.body.items.some((x) => x.id === o.id) };
      };
      expect(await seenBy(leader)).toEqual({ one: 404, inList: false });
      expect(await seenBy(teacherClient)).toEqual({ one: 404, inList: false });
      await coach.patch(`/api/v1/observations/${o.id}`, { status: "submitted" });
      expect(await seenBy(leader)).toEqual({ one: 200, inList: true });
      expect(await seenBy(eastLeader)).toEqual({ one: 404, inList: false });
      expect(await seenBy(teacherClient)).toEqual({ one: 404, inList: false });
      await coach.patch(`/api/v1/observations/${o.id}`, { status: "shared" });
      expect(await seenBy(teacherClient)).toEqual({ one: 200, inList: true });
      const eastTeacherClient = await signedIn(server, eastTeacher.email);
      expect(await seenBy(eastTeacherClient)).toEqual({ one: 404, inList: false });
    });

    it("a coach observes only at schools they coach, and only staff of that school", async () => {
      const { coach } = await newCoach();
      const elsewhere = await coach.post<TErrorResponse>("/api/v1/observations", body({ schoolId: east.id, teacherId: eastTeacher.person.id }));
      expect(elsewhere.status).toBe(403);
      const wrongTeacher = await coach.post<TErrorResponse>("/api/v1/observations", body({ teacherId: eastTeacher.person.id }));
      expect(wrongTeacher.status).toBe(400);
      expect(wrongTeacher.body.error.message).toBe("body.teacherId: does not work at this school");
      expect((await teacherClient.post("/api/v1/observations", body())).status).toBe(403);
    });

    it("sharing emails the teacher once; the teacher acknowledges and comments, the observer answers", async () => {
      const observer = await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }] });
      const coach = await signedIn(server, observer.email);
      const outbox = () => server.ctx.db.selectFrom("outbox").select(["subject", "body_text"]).where("to_address", "=", teacher.email).execute();
      const observerMail = () => server.ctx.db.selectFrom("outbox").select(["subject", "body_text"]).where("to_address", "=", observer.email).execute();
      const before = (await outbox()).length;
      const o = await observe(coach, { status: "submitted" });
      expect((await outbox()).length).toBe(before);
      const shared = await coach.patch<TObservation>(`/api/v1/observations/${o.id}`, { status: "shared" });
      expect(shared.body.sharedAt).not.toBeNull();
      expect((await coach.patch<TObservation>(`/api/v1/observations/${o.id}`, { status: "shared", feedback: "One more thought." })).status).toBe(200);
      const mails = (await outbox()).slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toBe(`Feedback on your lesson of ${o.date}`);
      expect(mails[0]?.body_text).toContain("Hello Ana");

      const seen = await teacherClient.get<TObservation>(`/api/v1/observations/${o.id}`);
      expect(seen.body.can).toEqual({ edit: false, delete: false, acknowledge: true, comment: true });
      expect(seen.body.feedback).toBe("One more thought.");
      const ack = await teacherClient.post<TObservation>(`/api/v1/observations/${o.id}/acknowledge`);
      expect(ack.status).toBe(200);
      expect(ack.body.acknowledgedAt).not.toBeNull();
      expect(ack.body.can.acknowledge).toBe(false);
      const again = await teacherClient.post<TObservation>(`/api/v1/observations/${o.id}/acknowledge`);
      expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
      await teacherClient.post(`/api/v1/observations/${o.id}/comments`, { body: "Thanks, trying it Friday." });
      const thread = await coach.post<TObservation>(`/api/v1/observations/${o.id}/comments`, { body: "Great, I will drop by." });
      expect(thread.status).toBe(201);
      expect(thread.body.comments.map((c) => [c.author.name, c.body])).toEqual([
        ["Ana Ruiz", "Thanks, trying it Friday."],
        [expect.any(String), "Great, I will drop by."],
      ]);
      expect((await leader.post(`/api/v1/observations/${o.id}/comments`, { body: "Leaders read only" })).status).toBe(403);
      // The observer heard of the acknowledgement (once) and the teacher's comment; the teacher of the observer's reply.
      expect((await observerMail()).map((m) => m.subject)).toEqual([`Ana Ruiz acknowledged your feedback on the observation of ${o.date}`, `Ana Ruiz commented on the observation of ${o.date}`]);
      expect((await observerMail())[1]?.body_text).toContain("> Thanks, trying it Friday.");
      expect((await outbox()).slice(before).map((m) => m.subject)).toEqual([`Feedback on your lesson of ${o.date}`, expect.stringMatching(/ commented on the observation of /)]);
    });

    it("links to the observer's coaching cycle with that teacher and to an Observing entry of their log, through the coaching API", async () => {
      const { coach } = await newCoach();
      const cycle = await coach.post<TCycle>("/api/v1/coaching/cycles", {
        title: "Student-led labs",
        startingPoint: "outcome",
        startingText: "Students design their own data collection",
        schoolId: west.id,
        teacherIds: [teacher.person.id],
      });
      expect(cycle.status, cycle.text).toBe(201);
      const categories = (await coach.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      const categoryId = (key: string) => categories.find((c) => c.key === key)?.id;
      const entry = await coach.post<TEntry>("/api/v1/coaching/entries", { date: districtToday(), minutes: 20, categoryId: categoryId("observing"), schoolId: west.id, teacherIds: [teacher.person.id] });
      expect(entry.status, entry.text).toBe(201);
      const o = await observe(coach, { cycleId: cycle.body.id, coachingEntryId: entry.body.id });
      expect(o).toMatchObject({ cycleId: cycle.body.id, coachingEntryId: entry.body.id });
      const linked = await coach.get<TList<TEntry>>(`/api/v1/coaching/entries?from=${districtToday()}&to=${districtToday()}`);
      expect(linked.body.items.find((e) => e.id === entry.body.id)?.link).toEqual({ type: "observation", id: o.id });

      const planning = await coach.post<TEntry>("/api/v1/coaching/entries", { date: districtToday(), minutes: 20, categoryId: categoryId("co_planning"), schoolId: west.id });
      const notObserving = await coach.post<TErrorResponse>("/api/v1/observations", body({ coachingEntryId: planning.body.id }));
      expect(notObserving.status).toBe(400);
      expect(notObserving.body.error.message).toBe("body.coachingEntryId: is not an “Observing” entry of your coaching log");
      const taken = await coach.post<TErrorResponse>("/api/v1/observations", body({ coachingEntryId: entry.body.id }));
      expect(taken.body.error.message).toBe("body.coachingEntryId: is already linked to another observation");
      const other = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      const wrongTeacher = await coach.post<TErrorResponse>("/api/v1/observations", body({ teacherId: other.person.id, cycleId: cycle.body.id }));
      expect(wrongTeacher.body.error.message).toBe("body.cycleId: is a coaching cycle without the observed teacher");
      const { coach: stranger } = await newCoach();
      const notYours = await stranger.post<TErrorResponse>("/api/v1/observations", body({ cycleId: cycle.body.id }));
      expect(notYours.body.error.message).toBe("body.cycleId: is not one of your coaching cycles");
    });
  });
}
