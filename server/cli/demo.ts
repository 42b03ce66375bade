import type { Insertable, Kysely } from "kysely";
import { hashPassword } from "../auth/password.js";
import type { Ctx } from "../context.js";
import type { DB } from "../db/schema.js";
import { newId, nowIso } from "../lib.js";
import { createAdminFromCli } from "../modules/accounts/accounts.service.js";
import { recordAudit } from "../modules/audit/audit.service.js";
import { nameColumns, updatePersonRow } from "../modules/people/people.repository.js";
import { DEMO_PASSWORD, DEMO_SOURCE_PREFIX, planDemo, type DemoAccountLabel, type DemoOptions, type DemoPerson } from "./demo-plan.js";

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
 * is none, else adds to the existing one. Idempotent: schools match by name and people by source_id,
 * so a second run with the same options inserts nothing.
 */
export async function loadDemo(ctx: Ctx, opts: DemoOptions): Promise<DemoResult> {
  const plan = planDemo(opts);
  const adminPlan = plan.people.find((p) => p.account === "admin");
  if (!adminPlan) throw new Error("the demo plan has no admin");

  let district = await ctx.db.selectFrom("districts").select(["id", "name"]).orderBy("created_at").executeTakeFirst();
  const isNewDistrict = district === undefined;
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

    if (newSchools.length > 0 || peopleRows.length > 0) {
      await recordAudit(trx, { actor: null, districtId, meta: { ip: null, userAgent: "cli" } }, {
        action: "cli.demo_load",
        subjectType: "district",
        subjectId: districtId,
        details: { ...opts, schoolsAdded: newSchools.length, peopleAdded: peopleRows.length },
      });
    }
    return {
      schoolsAdded: newSchools.length,
      addedSources: new Set(toInsert.map((p) => p.sourceId)),
      takenEmails,
    };
  });

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
    accounts: plan.people.flatMap((p) =>
      p.account && !loaded.takenEmails.has(p.email) ? [{ label: p.account, name: `${p.givenName} ${p.familyName}`, email: p.email }] : [],
    ),
  };
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
