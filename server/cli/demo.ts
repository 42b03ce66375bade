import type { Insertable, Kysely } from "kysely";
import { hashPassword } from "../auth/password.js";
import type { Ctx } from "../context.js";
import type { DB } from "../db/schema.js";
import { newId, nowIso } from "../lib.js";
import { createAdminFromCli } from "../modules/accounts/accounts.service.js";
import { recordAudit } from "../modules/audit/audit.service.js";
import { monthOf, today, weekOf } from "../modules/coaching/calendar.js";
import { loadTermCalendar } from "../modules/settings/api.js";
import { ensureDefaultCategories, listCategories, rebuildRollups } from "../modules/coaching/coaching.repository.js";
import { nameColumns, updatePersonRow } from "../modules/people/people.repository.js";
import { loadDemoChats } from "./demo-chats.js";
import { loadDemoDevices } from "./demo-devices.js";
import { loadDemoHelpdesk } from "./demo-helpdesk.js";
import {
  DEMO_PASSWORD,
  DEMO_SOURCE_PREFIX,
  planCoachingLog,
  planDemo,
  type DemoAccountLabel,
  type DemoOptions,
  type DemoPerson,
} from "./demo-plan.js";

export type DemoResult = {
  districtId: string;
  districtName: string;
  isNewDistrict: boolean;
  schools: { planned: number; added: number };
  staff: { planned: number; added: number };
  students: { planned: number; added: number; studentTechs: number };
  /** Planned people left out because a non-demo person already uses their email. */
  skippedEmailTaken: number;
  accounts: { label: DemoAccountLabel; name: string; email: string }[];
  /** The demo coaching log (July 1 to yesterday) and its coaching cycles. */
  coaching: { entries: { planned: number; added: number }; cycles: { planned: number; added: number } };
};

// 17 columns × 500 rows stays far below SQLite's 32766 and PostgreSQL's 65535 bound parameters.
const BATCH = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const isStudent = (p: DemoPerson) => p.roles.some((r) => r.role === "student");

/**
 * Loads the demo district into the database: creates the district (and its demo admin) when there
 * is none; adds to an existing district only if it is the demo's own (an earlier run) or when
 * `intoExisting` says so. Idempotent: schools match by name and people by source_id,
 * so a second run with the same options inserts nothing.
 */
export async function loadDemo(ctx: Ctx, opts: DemoOptions & { today?: string; intoExisting?: boolean }): Promise<DemoResult> {
  const plan = planDemo(opts);
  const adminPlan = plan.people.find((p) => p.account === "admin");
  if (!adminPlan) throw new Error("the demo plan has no admin");

  let district = await ctx.db.selectFrom("districts").select(["id", "name"]).orderBy("created_at").executeTakeFirst();
  const isNewDistrict = district === undefined;
  if (district && !opts.intoExisting) {
    // A district someone set up (not an earlier demo run) gets ~3,000 fictional people and a coaching
    // log only when asked: they would mix with its real records and its reports.
    const demoAdmin = await ctx.db.selectFrom("people").select("id").where("district_id", "=", district.id).where("source_id", "=", adminPlan.sourceId).executeTakeFirst();
    if (!demoAdmin) {
      throw new Error(
        `the database already holds the district "${district.name}", which is not the demo district. Loading the demo would add fictional schools, people and coaching entries to it. Use a fresh database (another COACHWORK_DATA_DIR or DATABASE_URL), or pass --into-existing if you really want them there.`,
      );
    }
  }
  if (!district) {
    // The accounts service owns first-run setup (the setup token, the setup-done marker), so it makes
    // the district and its first admin; we then tag that admin as demo data.
    const created = await createAdminFromCli(ctx, {
      email: adminPlan.email,
      password: DEMO_PASSWORD,
      givenName: adminPlan.givenName,
      familyName: adminPlan.familyName,
      districtName: plan.districtName,
    });
    await updatePersonRow(ctx.db, created.personId, { source_id: adminPlan.sourceId });
    district = { id: created.districtId, name: plan.districtName };
  }
  const districtId = district.id;

  // Everything from reading what exists to inserting what is missing happens in one transaction,
  // so a failed or concurrent run leaves either all of its rows or none.
  const loaded = await ctx.db.transaction().execute(async (trx) => {
    const existingSources = await findDemoSourceIds(trx, districtId);
    const pending = plan.people.filter((p) => !existingSources.has(p.sourceId));
    const takenEmails = await findTakenEmails(
      trx,
      districtId,
      pending.map((p) => p.email),
    );
    const toInsert = pending.filter((p) => !takenEmails.has(p.email));
    // Hash once for every demo account: Argon2 is deliberately slow.
    const passwordHash = toInsert.some((p) => p.account !== null) ? await hashPassword(DEMO_PASSWORD) : null;

    const schoolIds = new Map<string, string>();
    for (const row of await trx.selectFrom("schools").select(["id", "name"]).where("district_id", "=", districtId).execute()) {
      schoolIds.set(row.name, row.id);
    }
    const now = nowIso();
    const newSchools: Insertable<DB["schools"]>[] = plan.schools
      .filter((s) => !schoolIds.has(s.name))
      .map((s) => ({ id: newId(), district_id: districtId, name: s.name, level: s.level, code: s.code, status: "active", created_at: now, updated_at: now }));
    for (const batch of chunks(newSchools, BATCH)) await trx.insertInto("schools").values(batch).execute();
    for (const s of newSchools) schoolIds.set(s.name, s.id);

    const peopleRows: Insertable<DB["people"]>[] = [];
    const roleRows: Insertable<DB["role_assignments"]>[] = [];
    for (const p of toInsert) {
      const id = newId();
      peopleRows.push({
        id,
        district_id: districtId,
        ...nameColumns(p.givenName, p.familyName),
        email: p.email,
        password_hash: p.account ? passwordHash : null,
        status: "active",
        grade_level: p.gradeLevel,
        student_number: p.studentNumber,
        source_id: p.sourceId,
        created_at: now,
        updated_at: now,
        deactivated_at: null,
      });
      for (const r of p.roles) {
        const schoolId = r.school === null ? null : schoolIds.get(r.school);
        if (schoolId === undefined) throw new Error(`demo school "${r.school}" was not created`);
        roleRows.push({ id: newId(), person_id: id, district_id: districtId, role: r.role, school_id: schoolId, created_at: now });
      }
    }
    for (const batch of chunks(peopleRows, BATCH)) await trx.insertInto("people").values(batch).execute();
    for (const batch of chunks(roleRows, BATCH)) await trx.insertInto("role_assignments").values(batch).execute();

    const coaching = await loadCoachingLog(trx, {
      districtId,
      seed: opts.seed,
      today: opts.today ?? today(),
      schoolIds,
      featuredTeacher: plan.people.find((p) => p.account === "teacher")?.sourceId ?? null,
    });

    if (newSchools.length > 0 || peopleRows.length > 0) {
      await recordAudit(trx, { actor: null, districtId, meta: { ip: null, userAgent: "cli" } }, {
        action: "cli.demo_load",
        subjectType: "district",
        subjectId: districtId,
        details: {
          ...opts,
          schoolsAdded: newSchools.length,
          peopleAdded: peopleRows.length,
          coachingEntriesAdded: coaching.entries.added,
          coachingCyclesAdded: coaching.cycles.added,
        },
      });
    }
    return {
      schoolsAdded: newSchools.length,
      addedSources: new Set(toInsert.map((p) => p.sourceId)),
      takenEmails,
      coaching,
    };
  });

  await loadDemoDevices(ctx, districtId);
  await loadDemoHelpdesk(ctx, districtId, plan.people.find((p) => p.account === "student")?.email ?? null);
  await loadDemoChats(ctx, districtId);

  // The admin that first-run setup made was added outside the bulk load, but by this run all the same.
  const added = (people: DemoPerson[]) =>
    people.filter((p) => loaded.addedSources.has(p.sourceId) || (isNewDistrict && p.sourceId === adminPlan.sourceId)).length;
  const students = plan.people.filter(isStudent);
  const staff = plan.people.filter((p) => !isStudent(p));
  return {
    districtId,
    districtName: district.name,
    isNewDistrict,
    schools: { planned: plan.schools.length, added: loaded.schoolsAdded },
    staff: { planned: staff.length, added: added(staff) },
    students: {
      planned: students.length,
      added: added(students),
      studentTechs: students.filter((p) => p.roles.some((r) => r.role === "student_tech")).length,
    },
    skippedEmailTaken: loaded.takenEmails.size,
    coaching: loaded.coaching,
    accounts: plan.people.flatMap((p) =>
      p.account && !loaded.takenEmails.has(p.email) ? [{ label: p.account, name: `${p.givenName} ${p.familyName}`, email: p.email }] : [],
    ),
  };
}

/** Sorts demo source ids by their number ("demo:staff:10" after "demo:staff:9"). */
const bySourceNumber = (a: string, b: string) => Number(a.replace(/\D+/g, "")) - Number(b.replace(/\D+/g, "")) || (a < b ? -1 : 1);

/**
 * Loads the demo coaching log for the demo coaches as they are in the database (their schools, the
 * teachers there), adding only the entries, cycles and steps not there yet: entries by their
 * `demo:` client_ref, cycles by coach and title, steps by cycle, stage and date. The rollups are
 * rebuilt in the same transaction, since the bulk insert bypasses the per-entry bookkeeping.
 */
async function loadCoachingLog(
  trx: Kysely<DB>,
  p: { districtId: string; seed: number; today: string; schoolIds: ReadonlyMap<string, string>; featuredTeacher: string | null },
): Promise<DemoResult["coaching"]> {
  const staff = await trx
    .selectFrom("people as person")
    .innerJoin("role_assignments as ra", "ra.person_id", "person.id")
    .innerJoin("schools as s", "s.id", "ra.school_id")
    .select(["person.id", "person.source_id", "ra.role", "s.name as school"])
    .where("person.district_id", "=", p.districtId)
    .where("person.status", "=", "active")
    .where("person.source_id", "like", `${DEMO_SOURCE_PREFIX}staff:%`)
    .where("ra.role", "in", ["coach", "teacher"])
    .where("s.status", "=", "active")
    .execute();
  const idOf = new Map<string, string>();
  const coachSchools = new Map<string, string[]>();
  const teachersBySchool = new Map<string, string[]>();
  for (const row of staff) {
    if (!row.source_id) continue;
    idOf.set(row.source_id, row.id);
    const target = row.role === "coach" ? coachSchools : teachersBySchool;
    const key = row.role === "coach" ? row.source_id : row.school;
    const value = row.role === "coach" ? row.school : row.source_id;
    target.set(key, [...(target.get(key) ?? []), value]);
  }
  for (const list of teachersBySchool.values()) list.sort(bySourceNumber);
  const coaches = [...coachSchools.entries()]
    .sort(([a], [b]) => bySourceNumber(a, b))
    .map(([sourceId, schools]) => ({ sourceId, schools: [...schools].sort() }));
  const log = planCoachingLog({ seed: p.seed, today: p.today, coaches, teachersBySchool, featuredTeacher: p.featuredTeacher });
  const result = { entries: { planned: log.entries.length, added: 0 }, cycles: { planned: log.cycles.length, added: 0 } };
  if (log.entries.length === 0 && log.cycles.length === 0) return result;

  await ensureDefaultCategories(trx, p.districtId);
  const categories = new Map((await listCategories(trx, p.districtId)).map((c) => [c.key, c]));
  const person = (sourceId: string) => idOf.get(sourceId);

  // Cycles, by coach and title; then the steps each is missing.
  const existingCycles = await trx
    .selectFrom("coaching_cycles")
    .select(["id", "coach_id", "title"])
    .where("district_id", "=", p.districtId)
    .where("coach_id", "in", [...new Set(log.cycles.map((c) => person(c.coach) ?? "-"))])
    .execute();
  const cycleIds = new Map<string, string>();
  let stepsAdded = 0;
  for (const cycle of log.cycles) {
    const coachId = person(cycle.coach);
    const schoolId = p.schoolIds.get(cycle.school);
    const teacherIds = cycle.teachers.flatMap((t) => person(t) ?? []);
    if (!coachId || !schoolId || teacherIds.length === 0) continue;
    let id = existingCycles.find((c) => c.coach_id === coachId && c.title === cycle.title)?.id;
    if (!id) {
      id = newId();
      const openedAt = `${cycle.openedOn}T15:00:00.000Z`;
      const lastStep = cycle.steps[cycle.steps.length - 1]?.date ?? cycle.openedOn;
      await trx
        .insertInto("coaching_cycles")
        .values({
          id,
          district_id: p.districtId,
          coach_id: coachId,
          school_id: schoolId,
          title: cycle.title,
          starting_point: cycle.startingPoint,
          starting_text: cycle.startingText,
          status: cycle.status,
          created_at: openedAt,
          updated_at: `${lastStep}T20:00:00.000Z`,
          completed_at: cycle.status === "complete" ? `${lastStep}T20:00:00.000Z` : null,
        })
        .execute();
      await trx.insertInto("coaching_cycle_teachers").values(teacherIds.map((personId) => ({ cycle_id: id ?? "", person_id: personId }))).execute();
      result.cycles.added++;
    }
    cycleIds.set(cycle.key, id);
    const haveSteps = new Set(
      (await trx.selectFrom("coaching_cycle_steps").select(["stage", "date"]).where("cycle_id", "=", id).execute()).map((s) => `${s.stage}|${s.date}`),
    );
    const steps = cycle.steps.filter((s) => !haveSteps.has(`${s.stage}|${s.date}`) && person(s.author));
    if (steps.length > 0) {
      await trx
        .insertInto("coaching_cycle_steps")
        .values(
          steps.map((s) => ({
            id: newId(),
            cycle_id: id ?? "",
            stage: s.stage,
            date: s.date,
            notes: s.notes,
            author_id: person(s.author) ?? "",
            created_at: `${s.date}T20:00:00.000Z`,
            updated_at: `${s.date}T20:00:00.000Z`,
          })),
        )
        .execute();
      stepsAdded += steps.length;
    }
  }

  // Entries, by client_ref.
  const existingRefs = new Set<string>();
  const refRows = await trx
    .selectFrom("coaching_entries")
    .select("client_ref")
    .where("district_id", "=", p.districtId)
    .where("client_ref", "like", `${DEMO_SOURCE_PREFIX}%`)
    .execute();
  for (const r of refRows) if (r.client_ref) existingRefs.add(r.client_ref);
  const terms = await loadTermCalendar(trx, p.districtId);
  const entryRows: Insertable<DB["coaching_entries"]>[] = [];
  const teacherRows: Insertable<DB["coaching_entry_teachers"]>[] = [];
  for (const e of log.entries) {
    const coachId = person(e.coach);
    const category = categories.get(e.category);
    if (existingRefs.has(e.ref) || !coachId || !category) continue;
    const schoolId = e.school === null ? null : (p.schoolIds.get(e.school) ?? null);
    const id = newId();
    // created_at in the day's afternoon keeps "recent" ordering and the history believable.
    const at = `${e.date}T${String(13 + (entryRows.length % 8)).padStart(2, "0")}:00:00.000Z`;
    entryRows.push({
      id,
      district_id: p.districtId,
      coach_id: coachId,
      school_id: schoolId,
      category_id: category.id,
      date: e.date,
      week: weekOf(e.date),
      month: monthOf(e.date),
      term: terms.termOf(e.date).key,
      minutes: e.minutes,
      notes: e.notes,
      cycle_id: e.cycle ? (cycleIds.get(e.cycle) ?? null) : null,
      link_type: null,
      link_id: null,
      client_ref: e.ref,
      created_at: at,
      updated_at: at,
    });
    for (const teacher of new Set(e.teachers)) {
      const teacherId = person(teacher);
      if (!teacherId) continue;
      teacherRows.push({ entry_id: id, person_id: teacherId, district_id: p.districtId, date: e.date, coach_id: coachId, school_id: schoolId, category_id: category.id });
    }
  }
  for (const batch of chunks(entryRows, BATCH)) await trx.insertInto("coaching_entries").values(batch).execute();
  for (const batch of chunks(teacherRows, BATCH)) await trx.insertInto("coaching_entry_teachers").values(batch).execute();
  result.entries.added = entryRows.length;
  if (entryRows.length > 0 || result.cycles.added > 0 || stepsAdded > 0) {
    await rebuildRollups(trx, p.districtId);
  }
  return result;
}

async function findDemoSourceIds(db: Kysely<DB>, districtId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("people")
    .select("source_id")
    .where("district_id", "=", districtId)
    .where("source_id", "like", `${DEMO_SOURCE_PREFIX}%`)
    .execute();
  return new Set(rows.flatMap((r) => (r.source_id === null ? [] : [r.source_id])));
}

/** Which of `emails` a person of the district already uses. */
async function findTakenEmails(db: Kysely<DB>, districtId: string, emails: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const batch of chunks(emails, BATCH)) {
    const rows = await db.selectFrom("people").select("email").where("district_id", "=", districtId).where("email", "in", batch).execute();
    for (const r of rows) if (r.email !== null) taken.add(r.email);
  }
  return taken;
}
