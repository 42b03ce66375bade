import { sql } from "kysely";
import type { Actor } from "../server/auth/actor.js";
import { peopleScope } from "../shared/policy/people.js";
import { openDatabase, type Dialect } from "../server/db/index.js";
import { countPeople, listPeople, type PeopleFilter } from "../server/modules/people/people.repository.js";
import type { Role } from "../shared/roles.js";
import { ensureDataset, type DatasetSize } from "./dataset.js";
import { fmt, table } from "./report.js";

// `npx tsx bench/people-scope.ts [--quick] [--dialect sqlite|postgres]`: the first directory page
// (`listPeople` + `countPeople`, as `GET /people?limit=50` runs them) for people who are not district
// admins, whose scope is their schools: a coach of three schools, a school leader of one, and a
// teacher (who sees the staff of their school). In-process on the benchmark directory (200,000
// people), so the figures are the statements alone. The HTTP benchmark's caller is an admin.

const args = process.argv.slice(2);
const size: DatasetSize = args.includes("--quick") ? "quick" : "full";
const only = args.includes("--dialect") ? (args[args.indexOf("--dialect") + 1] as Dialect) : null;
const RUNS = 20;

type Case = { name: string; personId: string; roles: { role: Role; schoolId: string | null }[] };

async function pickCases(db: ReturnType<typeof openDatabase>["db"], districtId: string): Promise<Case[]> {
  const grantsOf = async (personId: string) =>
    (await db.selectFrom("role_assignments").select(["role", "school_id"]).where("person_id", "=", personId).execute()).map((g) => ({
      role: g.role as Role,
      schoolId: g.school_id,
    }));
  const byRole = async (role: Role, schools: number) => {
    const row = await db
      .selectFrom("role_assignments")
      .select("person_id")
      .where("district_id", "=", districtId)
      .where("role", "=", role)
      .where("school_id", "is not", null)
      .groupBy("person_id")
      .having(sql`count(*)`, "=", schools)
      .orderBy("person_id")
      .executeTakeFirst();
    if (!row) throw new Error(`the dataset has no ${role} of ${schools} school(s)`);
    return row.person_id;
  };
  const coach = await byRole("coach", 3);
  const leader = await byRole("school_leader", 1);
  const teacher = await byRole("teacher", 1);
  return [
    { name: "coach of 3 schools", personId: coach, roles: await grantsOf(coach) },
    { name: "school leader", personId: leader, roles: await grantsOf(leader) },
    { name: "teacher (staff only)", personId: teacher, roles: await grantsOf(teacher) },
  ];
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const dialect of only ? [only] : (["sqlite", "postgres"] as const)) {
    const ds = await ensureDataset(dialect, size, (m) => console.error(`[${dialect}] ${m}`));
    const database = openDatabase(ds.database);
    try {
      for (const c of await pickCases(database.db, ds.meta.districtId)) {
        const actor: Actor = { personId: c.personId, districtId: ds.meta.districtId, name: c.name, roles: c.roles, via: "token", tokenScope: "read", sessionIdHash: null, csrfToken: null };
        const filter: PeopleFilter = { districtId: ds.meta.districtId, scope: peopleScope(actor), status: "active", words: [] };
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < RUNS + 2; i++) {
          const started = performance.now();
          const [n] = await Promise.all([countPeople(database.db, filter), listPeople(database.db, filter, null, 51)]);
          if (i >= 2) times.push(performance.now() - started);
          total = n;
        }
        times.sort((a, b) => a - b);
        const mean = times.reduce((a, b) => a + b, 0) / times.length;
        rows.push([dialect, c.name, total.toLocaleString("en-US"), fmt(mean), fmt(times[Math.floor(times.length * 0.95)] ?? 0)]);
      }
    } finally {
      await database.close();
    }
  }
  console.log(table(["dialect", "reader", "people in scope", "mean ms", "p95 ms"], rows));
}

await main();
