import SQLite from "better-sqlite3";
import pg from "pg";
import { pgTypeParser, type Dialect } from "../server/db/index.js";
import type { Config } from "../server/env.js";
import type { App } from "../server/http.js";
import { CountLimits } from "../shared/limits.js";
import { fold, newId, nowIso, sha256 } from "../server/lib.js";
import type { PersonRow, RoleRow } from "../server/modules/people/people.repository.js";
import {
  countSql,
  insertAuditSql,
  pageSql,
  planOfCounts,
  wordCountsSql,
  isPlannedBareSearch,
  rolesOfSql,
  schoolNamesSql,
  tokenSql,
  touchTokenSql,
  type BareFilter,
  type SqlOptions,
  type SqlText,
} from "./bare-sql.js";

// The "floor" the real GET /api/v1/people is compared with: the same statements (bare-sql.ts), run
// straight on the driver, the same authentication and audit write, the same bytes out, and nothing
// else: no Kysely, no zod, no policy module, no presenter, no response schema.

export const BARE_PATH = "/bench/bare/people";
/** The bare route again, running the statements as docs/benchmarks.md proposes them (`--what-if`). */
export const PROPOSED_PATH = "/bench/proposed/people";

/** A database handle of the bare route's own: better-sqlite3 with cached prepared statements, or a pg pool. */
export type BareDriver = {
  all(q: SqlText): Promise<Record<string, unknown>[]>;
  run(q: SqlText): Promise<void>;
  /** SQLite only: milliseconds to prepare `sql` from scratch, which Kysely's driver does for every query. */
  prepareMs?: (sql: string) => number;
  close(): Promise<void>;
};

function openSqlite(file: string): BareDriver {
  const db = new SQLite(file);
  // The same pragmas as server/db/index.ts.
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const statements = new Map<string, SQLite.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  return {
    all: async (q) => prepare(q.sql).all(q.params) as Record<string, unknown>[],
    run: async (q) => {
      prepare(q.sql).run(q.params);
    },
    prepareMs: (sql) => {
      const t = performance.now();
      db.prepare(sql);
      return performance.now() - t;
    },
    close: async () => {
      db.close();
    },
  };
}


function openPostgres(url: string, poolSize: number): BareDriver {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: { getTypeParser: pgTypeParser } as pg.CustomTypesConfig });
  return {
    all: async (q) => (await pool.query(q.sql, q.params)).rows as Record<string, unknown>[],
    run: async (q) => {
      await pool.query(q.sql, q.params);
    },
    close: () => pool.end(),
  };
}

/** Opens the bare route's own connection to the benchmark database (the app's stays private to Kysely). */
export function openBareDriver(database: Config["database"]): BareDriver {
  return database.kind === "sqlite" ? openSqlite(database.file) : openPostgres(database.url, database.poolSize);
}

const TOUCH_EVERY_MS = 60_000;
const STUDENT_ROLES = new Set(["student", "student_tech"]);
const DISTRICT_WIDE_ROLES = new Set(["coach", "it_staff"]);

type Fail = { status: number; code: string; message: string };
const fail = (status: number, code: string, message: string): Fail => ({ status, code, message });

type TokenRow = {
  id: string;
  person_id: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  district_id: string;
  status: string;
};

type Grant = { role: string | null; school_id: string | null };

async function authenticate(driver: BareDriver, dialect: Dialect, authorization: string | undefined): Promise<(TokenRow & { grants: { role: string; school_id: string | null }[] }) | Fail> {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  const token = match?.[1];
  if (!token || !token.startsWith("cwk_")) return fail(401, "unauthenticated", "The API token is invalid, expired or revoked");
  const rows = (await driver.all(tokenSql(dialect, sha256(token)))) as (TokenRow & Grant)[];
  const row = rows[0];
  const now = Date.now();
  if (!row || row.revoked_at !== null || row.status !== "active" || (row.expires_at !== null && Date.parse(row.expires_at) <= now)) {
    return fail(401, "unauthenticated", "The API token is invalid, expired or revoked");
  }
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await driver.run(touchTokenSql(dialect, row.id, new Date(now).toISOString()));
  }
  // One row per role grant (a person with none: one row of nulls).
  return { ...row, grants: rows.flatMap((r) => (r.role === null ? [] : [{ role: r.role, school_id: r.school_id }])) };
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function parseQuery(query: Record<string, unknown>, districtId: string): { filter: BareFilter; limit: number; q: string | undefined } | Fail {
  for (const key of Object.keys(query)) {
    if (!["limit", "q", "schoolId", "status"].includes(key)) return fail(400, "bad_request", `the bare route does not support ?${key}`);
  }
  const limitText = text(query.limit);
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) return fail(400, "validation_failed", "query.limit: is invalid");
  const status = text(query.status) ?? "active";
  if (status !== "active" && status !== "inactive" && status !== "all") return fail(400, "validation_failed", "query.status: is invalid");
  const q = text(query.q)?.trim();
  const words = q ? fold(q).split(/\s+/).filter((w) => w.length > 0).slice(0, 4) : [];
  const schoolId = text(query.schoolId);
  return { filter: { districtId, status, words, ...(schoolId === undefined ? {} : { schoolId }) }, limit, q };
}

/**
 * Registers GET /bench/bare/people on the app, outside /api/ so the app's auth hook leaves it alone.
 * With `sql` options, the same route with changed statements (for PROPOSED_PATH).
 */
export function registerBareRoute(app: App, driver: BareDriver, dialect: Dialect, variant: { path: string; sql: SqlOptions } = { path: BARE_PATH, sql: {} }): void {
  app.get(variant.path, async (req, reply) => {
    const send = (status: number, body: unknown) => reply.status(status).type("application/json; charset=utf-8").send(JSON.stringify(body));
    const auth = await authenticate(driver, dialect, req.headers.authorization);
    if ("code" in auth) return send(auth.status, { error: { code: auth.code, message: auth.message } });
    const { grants } = auth;
    // The benchmark's actor is a district admin; the bare route supports district-wide actors only.
    const isDistrictWide = grants.some((g) => g.role === "district_admin" || (DISTRICT_WIDE_ROLES.has(g.role) && g.school_id === null));
    if (!isDistrictWide) return send(403, { error: { code: "forbidden", message: "the bare route serves district-wide actors only" } });

    const parsed = parseQuery(req.query as Record<string, unknown>, auth.district_id);
    if ("code" in parsed) return send(parsed.status, { error: { code: parsed.code, message: parsed.message } });
    const { filter, limit } = parsed;

    const [countRows, rows] = await Promise.all([
      driver.all(countSql(dialect, filter, variant.sql)),
      (async () => {
        // A district-wide search on SQLite: the words' counts choose the page's plan, as the directory does.
        const plan = isPlannedBareSearch(dialect, filter) ? planOfCounts((await driver.all(wordCountsSql(dialect, filter.districtId, filter.words)))[0], filter.words) : null;
        return driver.all(pageSql(dialect, filter, limit + 1, variant.sql, plan));
      })(),
    ]);
    const counted = Number(countRows[0]?.n ?? 0);
    const cap = variant.sql.countCap === undefined ? CountLimits.cap : variant.sql.countCap;
    const total = cap === null ? counted : Math.min(counted, cap);
    const totalIsCapped = cap !== null && counted > cap;
    const page = (rows as PersonRow[]).slice(0, limit);
    const pageGrants = page.length ? ((await driver.all(rolesOfSql(dialect, page.map((r) => r.id)))) as Omit<RoleRow, "school_name">[]) : [];
    const schoolIds = [...new Set(pageGrants.flatMap((g) => (g.school_id === null ? [] : [g.school_id])))];
    const schoolRows = schoolIds.length ? ((await driver.all(schoolNamesSql(dialect, schoolIds))) as { id: string; name: string }[]) : [];
    const schoolNames = new Map(schoolRows.map((s) => [s.id, s.name]));
    const roleRows: RoleRow[] = pageGrants.map((g) => ({ ...g, school_name: g.school_id === null ? null : (schoolNames.get(g.school_id) ?? null) }));
    const rolesByPerson = new Map<string, { role: string; schoolId: string | null; schoolName: string | null }[]>();
    for (const r of roleRows) {
      const list = rolesByPerson.get(r.person_id) ?? [];
      list.push({ role: r.role, schoolId: r.school_id, schoolName: r.school_name });
      rolesByPerson.set(r.person_id, list);
    }
    const studentIds: string[] = [];
    const items = page.map((row) => {
      const roles = rolesByPerson.get(row.id) ?? [];
      if (roles.some((r) => STUDENT_ROLES.has(r.role))) studentIds.push(row.id);
      return {
        id: row.id,
        givenName: row.given_name,
        familyName: row.family_name,
        displayName: `${row.given_name} ${row.family_name}`,
        email: row.email,
        status: row.status,
        gradeLevel: row.grade_level,
        studentNumber: row.student_number,
        sourcedId: row.source_id,
        roles,
        hasPassword: row.password_hash !== null,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    });
    if (studentIds.length > 0) {
      const ua = req.headers["user-agent"];
      const details = JSON.stringify({ query: { q: parsed.q, schoolId: filter.schoolId, status: filter.status }, studentIds });
      await driver.run(
        insertAuditSql(dialect, {
          id: newId(),
          districtId: auth.district_id,
          actorId: auth.person_id,
          ip: req.ip ?? null,
          userAgent: typeof ua === "string" ? ua.slice(0, 300) : null,
          details,
          createdAt: nowIso(),
        }),
      );
    }
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.sort_name, last.id])).toString("base64url") : null;
    return send(200, { items, total, totalIsCapped, nextCursor });
  });
}
