// Prints the SQL of the directory's key queries on both dialects, so a reviewer can read
// (and EXPLAIN) exactly what runs. `npm run sql`
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { DB } from "../server/db/schema.js";
import { countPeople, listPeople, type PeopleFilter } from "../server/modules/people/people.repository.js";

/** A Kysely that compiles for `dialect` but never connects; `log` prints each query it would run. */
function printingDb(dialect: "sqlite" | "postgres"): Kysely<DB> {
  const pg = dialect === "postgres";
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => {
      console.log(event.query.sql);
      console.log("  params:", JSON.stringify(event.query.parameters), "\n");
    },
  });
}

const filter: PeopleFilter = {
  districtId: "D",
  scope: { kind: "schools", fullSchoolIds: ["S1"], staffSchoolIds: ["S2"] },
  status: "active",
  words: ["mar"],
  role: "teacher",
  schoolId: "S1",
};

for (const dialect of ["sqlite", "postgres"] as const) {
  console.log(`=== ${dialect}: people list page and count (search "mar", role, school, teacher+coach scope) ===\n`);
  const db = printingDb(dialect);
  await listPeople(db, filter, { sortName: "lee ann", id: "ID" }, 51);
  await countPeople(db, filter).catch(() => 0);
}
