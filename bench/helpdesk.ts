// The help desk benchmark (issue 14, "Performance").
//
// 1. Ticket creation in the first week of a rollout: an open-loop load of `rate` POST
//    /api/v1/helpdesk/tickets per second for `seconds` against one server (default 200/s for 60 s),
//    each with its own clientRef; p50/p95/p99 latency, and every ticket counted in the database
//    afterwards: stored exactly once (rows = 201 answers = distinct client refs). Each route is first
//    warmed up at the same rate for `warmSeconds` (default 15), reported as the cold start.
// 2. The queue page with `tickets` tickets in the database (default 1,000,000, seeded by one SQL
//    statement per dialect: a recursive CTE on SQLite, generate_series on PostgreSQL): sequential
//    GET /api/v1/helpdesk/tickets?queueId=…&status=open, p50/p95.
// Each against a bare route in the same run, on the same server and database: the same statements
// written by hand on the driver (token lookup, the rows, the history, the audit record; after the
// commit, the queue's change notice once per half second; for the page: the rows, the capped count, names, schools, the audit record),
// without Kysely, zod, policy, presenters or response schemas. Targets: creation p99 < 100 ms,
// queue page p95 < 50 ms.
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { cachedDatabase } from "./cached-database.js";
import { buildApp } from "../server/app.js";
import { migrateToLatest, openDatabase, pgTypeParser, type Dialect } from "../server/db/index.js";
import type { DB } from "../server/db/schema.js";
import type { Config } from "../server/env.js";
import { TOKEN_PREFIX } from "../server/auth/session-store.js";
import { newId, nowIso, randomToken, sha256 } from "../server/lib.js";
import { reference } from "../server/modules/helpdesk/defaults.js";
import { nameColumns } from "../server/modules/people/people.repository.js";

const VERSION = 1;
export const HELPDESK_TARGETS = { createP99Ms: 100, queuePageP95Ms: 50 } as const;

type Meta = { version: number; tickets: number; districtId: string; schoolId: string; studentQueueId: string; adminToken: string; studentToken: string; adminId: string; studentId: string };
export type Summary = { n: number; p50: number; p95: number; p99: number; max: number };
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))] ?? NaN;
const summary = (samples: number[]): Summary => {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99), max: s[s.length - 1] ?? NaN };
};

export type HelpdeskBenchResult = {
  dialect: Dialect;
  tickets: number;
  seededMs: number | null;
  create: {
    rate: number;
    seconds: number;
    api: Summary & { sent: number; created: number; errors: number; stored: number; distinct: number; exactlyOnce: boolean };
    bare: Summary & { sent: number; created: number; errors: number; stored: number };
    p99Ratio: number;
    /** The warm-up at the same rate right after the server started: its latencies, not in the figures above. */
    cold: { seconds: number; api: Summary; bare: Summary };
  };
  queuePage: { api: Summary; bare: Summary; p95Ratio: number; openInQueue: number };
  meetsTargets: boolean;
};

// ---- The seeded database (cached between runs, by size) ----

const dataDirOf = (n: number) => path.join(tmpdir(), `coachwork-bench-helpdesk-${n}-v${VERSION}`);
const pgNameOf = (n: number) => `cw_bench_helpdesk_${n}_v${VERSION}`;

/**
 * One statement per dialect inserting tickets `from`..`n`: 1 in 100 open in the student help desk, the
 * rest closed, over the past year. Run in slices of 100,000, so no single statement meets the
 * server's statement timeout on a busy machine (a million in one went past it on PostgreSQL).
 */
function seedSql(dialect: Dialect, from: number, n: number, m: { districtId: string; schoolId: string; queueId: string; categoryId: string; requesterId: string }) {
  if (dialect === "sqlite") {
    return sql`with recursive seq(k) as (select ${from} union all select k + 1 from seq where k < ${n})
      insert into helpdesk_tickets (id, district_id, school_id, queue_id, category_id, priority, status, title, description, location,
        requester_id, created_by, via, response_due_at, resolution_due_at, created_on, created_at, updated_at)
      select printf('seed-%09d', k), ${m.districtId}, ${m.schoolId}, ${m.queueId}, ${m.categoryId}, 'normal',
        case when k % 100 = 0 then 'new' else 'closed' end,
        'Seeded ticket ' || k, 'Seeded for the benchmark', 'Room ' || (k % 300),
        ${m.requesterId}, ${m.requesterId}, 'web',
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k % 365) || ' days', '+8 hours'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k % 365) || ' days', '+3 days'),
        strftime('%Y-%m-%d', 'now', '-' || (k % 365) || ' days'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k % 365) || ' days', '-' || (k % 86400) || ' seconds'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k % 365) || ' days')
      from seq`;
  }
  return sql`insert into helpdesk_tickets (id, district_id, school_id, queue_id, category_id, priority, status, title, description, location,
        requester_id, created_by, via, response_due_at, resolution_due_at, created_on, created_at, updated_at)
      select 'seed-' || lpad(k::text, 9, '0'), ${m.districtId}, ${m.schoolId}, ${m.queueId}, ${m.categoryId}, 'normal',
        case when k % 100 = 0 then 'new' else 'closed' end,
        'Seeded ticket ' || k, 'Seeded for the benchmark', 'Room ' || (k % 300),
        ${m.requesterId}, ${m.requesterId}, 'web',
        now() - (k % 365) * interval '1 day' + interval '8 hours',
        now() - (k % 365) * interval '1 day' + interval '3 days',
        to_char(now() - (k % 365) * interval '1 day', 'YYYY-MM-DD'),
        now() - (k % 365) * interval '1 day' - (k % 86400) * interval '1 second',
        now() - (k % 365) * interval '1 day'
      from generate_series(${from}::int, ${n}::int) as k`;
}

async function generate(db: Kysely<DB>, dialect: Dialect, tickets: number, log: (m: string) => void): Promise<Meta> {
  const now = nowIso();
  const districtId = newId();
  const schoolId = newId();
  await db.insertInto("districts").values({ id: districtId, name: "Benchmark Unified", timezone: "America/New_York", created_at: now, updated_at: now }).execute();
  await db.insertInto("schools").values({ id: schoolId, district_id: districtId, name: "Rollout High", level: "high", code: null, status: "active", created_at: now, updated_at: now }).execute();
  const person = async (given: string, family: string, role: string, schoolIdOf: string | null) => {
    const id = newId();
    await db.insertInto("people").values({ id, district_id: districtId, ...nameColumns(given, family), email: `${given}.${family}@bench.example.org`.toLowerCase(), password_hash: null, status: "active", grade_level: role === "student" ? "09" : null, student_number: null, source_id: null, created_at: now, updated_at: now, deactivated_at: null }).execute();
    await db.insertInto("role_assignments").values({ id: newId(), person_id: id, district_id: districtId, role, school_id: schoolIdOf, created_at: now } as never).execute();
    return id;
  };
  const adminId = await person("Ada", "Admin", "district_admin", null);
  const studentId = await person("Sam", "Student", "student", schoolId);
  const token = async (personId: string) => {
    const t = `${TOKEN_PREFIX}${randomToken()}`;
    await db.insertInto("api_tokens").values({ id: newId(), person_id: personId, name: "bench", prefix: t.slice(0, 12), token_hash: sha256(t), created_at: now, last_used_at: null, expires_at: null, revoked_at: null }).execute();
    return t;
  };
  const ref = await reference(db, districtId);
  const queue = ref.queues.find((q) => q.audience === "student");
  const category = ref.categories[0];
  if (!queue || !category) throw new Error("no help desk reference data");
  log(`seeding ${tickets.toLocaleString("en-US")} tickets on ${dialect} (one statement)…`);
  const t0 = performance.now();
  for (let from = 1; from <= tickets; from += 100_000) await seedSql(dialect, from, Math.min(tickets, from + 99_999), { districtId, schoolId, queueId: queue.id, categoryId: category.id, requesterId: studentId }).execute(db);
  log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const meta: Meta = { version: VERSION, tickets, districtId, schoolId, studentQueueId: queue.id, adminToken: await token(adminId), studentToken: await token(studentId), adminId, studentId };
  await db.insertInto("instance_settings").values({ key: "bench_helpdesk", value: JSON.stringify(meta), updated_at: now }).execute();
  return meta;
}

async function prepare(dialect: Dialect, tickets: number, log: (m: string) => void): Promise<{ database: Config["database"]; dataDir: string; meta: Meta; seededMs: number | null }> {
  const dataDir = dataDirOf(tickets);
  const database = await cachedDatabase(dialect, dataDir, pgNameOf(tickets));
  const opened = openDatabase(database);
  try {
    await migrateToLatest(opened.db);
    const row = await opened.db.selectFrom("instance_settings").select("value").where("key", "=", "bench_helpdesk").executeTakeFirst();
    const cached = row ? (JSON.parse(row.value) as Meta) : undefined;
    if (cached?.version === VERSION) return { database, dataDir, meta: cached, seededMs: null };
    if (await opened.db.selectFrom("districts").select("id").limit(1).executeTakeFirst()) {
      throw new Error(`The cached ${dialect} help desk benchmark database is incomplete; delete it (${dialect === "sqlite" ? dataDir : `drop database ${pgNameOf(tickets)}`}) and run again`);
    }
    const t0 = performance.now();
    const meta = await generate(opened.db, dialect, tickets, log);
    if (database.kind === "postgres") {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      await c.query("vacuum analyze");
      await c.end();
    } else {
      await sql`analyze`.execute(opened.db);
    }
    return { database, dataDir, meta, seededMs: performance.now() - t0 };
  } finally {
    await opened.close();
  }
}

// ---- The bare routes: the same statements by hand on the driver ----

type Driver = {
  all(text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs the statements in one transaction. */
  tx(statements: { text: string; params: unknown[] }[]): Promise<void>;
  close(): Promise<void>;
};

function sqliteDriver(file: string): Driver {
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const cache = new Map<string, SQLite.Statement>();
  const prep = (t: string) => cache.get(t) ?? cache.set(t, db.prepare(t)).get(t) ?? db.prepare(t);
  return {
    all: async (t, p) => prep(t).all(p) as Record<string, unknown>[],
    tx: async (stmts) => {
      db.transaction(() => {
        for (const s of stmts) prep(s.text).run(s.params);
      })();
    },
    close: async () => void db.close(),
  };
}

function pgDriver(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: { getTypeParser: pgTypeParser } as pg.CustomTypesConfig });
  return {
    all: async (t, p) => (await pool.query(t, p)).rows as Record<string, unknown>[],
    tx: async (stmts) => {
      const c = await pool.connect();
      try {
        await c.query("begin");
        for (const s of stmts) await c.query(s.text, s.params);
        await c.query("commit");
      } catch (err) {
        await c.query("rollback");
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

function registerBareRoutes(app: Awaited<ReturnType<typeof buildApp>>["app"], driver: Driver, dialect: Dialect, meta: Meta, categoryId: string) {
  const p = (i: number) => (dialect === "sqlite" ? "?" : `$${i}`);
  const tokenSql = `select t.person_id, p.district_id from api_tokens t join people p on p.id = t.person_id where t.token_hash = ${p(1)} and t.revoked_at is null`;
  const actorOf = async (auth: string | undefined) => {
    const rows = await driver.all(tokenSql, [sha256((auth ?? "").replace(/^Bearer /, ""))]);
    return rows[0] as { person_id: string; district_id: string } | undefined;
  };
  let bareNoticeDueAt = 0;
  app.post("/bench/bare/helpdesk/tickets", { config: { public: true } }, async (req, reply) => {
    const actor = await actorOf(req.headers.authorization);
    if (!actor) return reply.status(401).send({ error: "unauthenticated" });
    const body = req.body as { description: string; location: string; clientRef: string };
    const id = newId();
    const now = nowIso();
    const due = new Date(Date.now() + 8 * 3_600_000).toISOString();
    await driver.tx([
      {
        text: `insert into helpdesk_tickets (id, district_id, school_id, queue_id, category_id, priority, status, title, description, location, requester_id, created_by, via, response_due_at, resolution_due_at, client_ref, created_on, created_at, updated_at)
          values (${[...Array(19).keys()].map((i) => p(i + 1)).join(", ")})`,
        params: [id, actor.district_id, meta.schoolId, meta.studentQueueId, categoryId, "normal", "new", "Won't charge", body.description, body.location, actor.person_id, actor.person_id, "api", due, due, body.clientRef, now.slice(0, 10), now, now],
      },
      { text: `insert into helpdesk_ticket_history (id, ticket_id, actor_id, field, to_value, created_at) values (${p(1)}, ${p(2)}, ${p(3)}, 'created', 'api', ${p(4)})`, params: [newId(), id, actor.person_id, now] },
      {
        text: `insert into audit_log (id, district_id, actor_id, action, subject_type, subject_id, ip, user_agent, details, created_at) values (${[...Array(10).keys()].map((i) => p(i + 1)).join(", ")})`,
        params: [newId(), actor.district_id, actor.person_id, "helpdesk.ticket.create", "helpdesk_ticket", id, req.ip, req.headers["user-agent"] ?? null, "{}", now],
      },
    ]);
    // The queue's change notice, as the API queues it: after the commit, once per half second.
    const dueAt = (Math.floor(Date.now() / 500) + 1) * 500;
    if (dueAt !== bareNoticeDueAt) {
      bareNoticeDueAt = dueAt;
      await driver.tx([
        {
          text: `insert into jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at) values (${[...Array(9).keys()].map((i) => p(i + 1)).join(", ")}) on conflict (dedupe_key) do nothing`,
          params: [newId(), "bench.bare", "{}", "done", new Date(dueAt).toISOString(), 0, 1, `bench.bare:${meta.studentQueueId}@${dueAt}`, now],
        },
      ]);
    }
    return reply.status(201).send({ id, status: "new" });
  });
  app.get("/bench/bare/helpdesk/queue", { config: { public: true } }, async (req, reply) => {
    const actor = await actorOf(req.headers.authorization);
    if (!actor) return reply.status(401).send({ error: "unauthenticated" });
    const open = ["new", "triaged", "in_progress", "waiting", "escalated"];
    const inList = open.map((_, i) => p(i + 3)).join(", ");
    const rows = await driver.all(
      `select * from helpdesk_tickets where district_id = ${p(1)} and queue_id = ${p(2)} and status in (${inList}) order by created_at, id limit 51`,
      [actor.district_id, meta.studentQueueId, ...open],
    );
    // Counted up to 1,000 (+1), as the API does since 2026-12-03 ("1,000+").
    const counted = await driver.all(
      `select count(*) as n from (select id from helpdesk_tickets where queue_id = ${p(1)} and status in ('new', 'triaged', 'in_progress', 'waiting', 'escalated') limit 1001) t`,
      [meta.studentQueueId],
    );
    const people = [...new Set(rows.map((r) => String(r.requester_id)))];
    const names = people.length ? await driver.all(`select id, given_name, family_name from people where id in (${people.map((_, i) => p(i + 1)).join(", ")})`, people) : [];
    const schools = await driver.all(`select id, name from schools where id in (${p(1)})`, [meta.schoolId]);
    await driver.tx([
      {
        text: `insert into audit_log (id, district_id, actor_id, action, subject_type, subject_id, ip, user_agent, details, created_at) values (${[...Array(10).keys()].map((i) => p(i + 1)).join(", ")})`,
        params: [newId(), actor.district_id, actor.person_id, "helpdesk.ticket.list", "helpdesk_queue", meta.studentQueueId, req.ip, null, "{}", nowIso()],
      },
    ]);
    const nameOf = new Map(names.map((n) => [n.id, `${String(n.given_name)} ${String(n.family_name)}`]));
    return reply.send({ items: rows.slice(0, 50).map((r) => ({ ...r, requesterName: nameOf.get(r.requester_id), schoolName: schools[0]?.name })), total: Number(counted[0]?.n ?? 0), nextCursor: rows.length > 50 ? "more" : null });
  });
}

// ---- Load ----

/** Open-loop load: `rate` requests a second for `seconds`, whatever the answers' latency. */
async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<number>): Promise<{ latencies: number[]; statuses: Map<number, number>; sent: number }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  const total = Math.round(rate * seconds);
  while (sent < total) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    while (sent < Math.min(due, total)) {
      const i = sent++;
      const t0 = performance.now();
      inflight.push(
        send(i).then(
          (status) => {
            latencies.push(performance.now() - t0);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          },
          () => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  return { latencies, statuses, sent };
}

async function sequential(n: number, get: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await get();
    if (status !== 200) throw new Error(`queue page answered ${status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Runs the help desk benchmark on one dialect. */
export async function runHelpdeskBench(
  dialect: Dialect,
  opts: { tickets: number; rate: number; seconds: number; warmSeconds: number; pageRequests: number; log: (m: string) => void },
): Promise<HelpdeskBenchResult> {
  const prepared = await prepare(dialect, opts.tickets, opts.log);
  const config: Config = {
    env: "production", port: 0, host: "127.0.0.1", database: prepared.database, dataDir: prepared.dataDir,
    secret: "bench-secret-bench-secret-bench-secret-00", publicUrl: null, logLevel: "warn", smtpUrl: null, mailFrom: "bench@localhost", trustProxy: false,
  };
  const database = openDatabase(config.database);
  const { app } = await buildApp({ config, database, logger: { level: "warn" } });
  const driver = prepared.database.kind === "sqlite" ? sqliteDriver(prepared.database.file) : pgDriver(prepared.database.url);
  const category = await database.db.selectFrom("helpdesk_categories").select("id").where("district_id", "=", prepared.meta.districtId).where("key", "=", "wont_charge").executeTakeFirstOrThrow();
  registerBareRoutes(app, driver, dialect, prepared.meta, category.id);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const meta = prepared.meta;
  try {
    const runId = randomToken(6);
    const post = (url: string, clientRef: string) =>
      fetch(base + url, {
        method: "POST",
        headers: { authorization: `Bearer ${meta.studentToken}`, "content-type": "application/json" },
        body: JSON.stringify({ schoolId: meta.schoolId, categoryKey: "wont_charge", description: "Laptop will not charge after the weekend", location: "Room 101", clientRef }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    // Warm up both paths (prepared statements, V8's optimising tiers) at the measured rate: a server
    // that has just started runs its first few thousand requests in V8's interpreter and baseline
    // tiers at about three times the CPU of a warm one, and on PostgreSQL at 200/s that backs up for
    // the first ten seconds or so. The warm-up's own latencies are reported as the cold start.
    opts.log(`${dialect}: warming both routes up, ${opts.rate}/s for ${opts.warmSeconds} s each…`);
    const coldApi = await openLoop(opts.rate, opts.warmSeconds, (i) => post("/api/v1/helpdesk/tickets", `warm-${runId}-${i}`));
    const coldBare = await openLoop(opts.rate, opts.warmSeconds, (i) => post("/bench/bare/helpdesk/tickets", `warmbare-${runId}-${i}`));
    opts.log(`${dialect}: creating tickets through the API, ${opts.rate}/s for ${opts.seconds} s…`);
    const api = await openLoop(opts.rate, opts.seconds, (i) => post("/api/v1/helpdesk/tickets", `api-${runId}-${i}`));
    opts.log(`${dialect}: the same through the bare route…`);
    const bare = await openLoop(opts.rate, opts.seconds, (i) => post("/bench/bare/helpdesk/tickets", `bare-${runId}-${i}`));
    const db = database.db;
    const countRefs = async (prefix: string) => {
      const row = await db
        .selectFrom("helpdesk_tickets")
        .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("client_ref").distinct().as("d")])
        .where("client_ref", "like", `${prefix}%`)
        .executeTakeFirstOrThrow();
      return { n: Number(row.n), d: Number(row.d) };
    };
    const apiStored = await countRefs(`api-${runId}-`);
    const bareStored = await countRefs(`bare-${runId}-`);
    const apiCreated = api.statuses.get(201) ?? 0;
    const bareCreated = bare.statuses.get(201) ?? 0;

    const openRow = await db
      .selectFrom("helpdesk_tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("queue_id", "=", meta.studentQueueId)
      .where("status", "in", ["new", "triaged", "in_progress", "waiting", "escalated"])
      .executeTakeFirstOrThrow();
    const get = (url: string) => fetch(base + url, { headers: { authorization: `Bearer ${meta.adminToken}` } }).then(async (r) => (await r.arrayBuffer(), r.status));
    const apiPage = `/api/v1/helpdesk/tickets?queueId=${meta.studentQueueId}&status=open&limit=50`;
    for (let i = 0; i < 10; i++) {
      await get(apiPage);
      await get("/bench/bare/helpdesk/queue");
    }
    opts.log(`${dialect}: the queue page, ${opts.pageRequests} sequential requests each…`);
    const apiPageMs = await sequential(opts.pageRequests, () => get(apiPage));
    const barePageMs = await sequential(opts.pageRequests, () => get("/bench/bare/helpdesk/queue"));
    const a = summary(api.latencies);
    const b = summary(bare.latencies);
    const qa = summary(apiPageMs);
    const qb = summary(barePageMs);
    const exactlyOnce = apiStored.n === apiCreated && apiStored.d === apiStored.n && apiCreated === api.sent;
    return {
      dialect,
      tickets: meta.tickets,
      seededMs: prepared.seededMs,
      create: {
        rate: opts.rate,
        seconds: opts.seconds,
        api: { ...a, sent: api.sent, created: apiCreated, errors: api.sent - apiCreated, stored: apiStored.n, distinct: apiStored.d, exactlyOnce },
        bare: { ...b, sent: bare.sent, created: bareCreated, errors: bare.sent - bareCreated, stored: bareStored.n },
        p99Ratio: a.p99 / b.p99,
        cold: { seconds: opts.warmSeconds, api: summary(coldApi.latencies), bare: summary(coldBare.latencies) },
      },
      queuePage: { api: qa, bare: qb, p95Ratio: qa.p95 / qb.p95, openInQueue: Number(openRow.n) },
      meetsTargets: exactlyOnce && a.p99 < HELPDESK_TARGETS.createP99Ms && qa.p95 < HELPDESK_TARGETS.queuePageP95Ms,
    };
  } finally {
    await app.close();
    await driver.close();
    await database.close();
  }
}

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
export function helpdeskTable(results: readonly HelpdeskBenchResult[]): { head: string[]; rows: string[][] } {
  const head = ["dialect", "case", "n", "p50 ms", "p95 ms", "p99 ms", "bare p50/p95/p99 ms", "ratio", "check"];
  const rows = results.flatMap((r) => [
    [r.dialect, `create ${r.create.rate}/s × ${r.create.seconds} s`, String(r.create.api.n), f(r.create.api.p50), f(r.create.api.p95), f(r.create.api.p99), `${f(r.create.bare.p50)} / ${f(r.create.bare.p95)} / ${f(r.create.bare.p99)}`, `${f(r.create.p99Ratio)}× (p99)`, `${r.create.api.stored} stored of ${r.create.api.sent} sent, ${r.create.api.created} × 201: ${r.create.api.exactlyOnce ? "exactly once" : "MISMATCH"}`],
    [r.dialect, `cold start: the ${r.create.cold.seconds} s warm-up at ${r.create.rate}/s`, String(r.create.cold.api.n), f(r.create.cold.api.p50), f(r.create.cold.api.p95), f(r.create.cold.api.p99), `${f(r.create.cold.bare.p50)} / ${f(r.create.cold.bare.p95)} / ${f(r.create.cold.bare.p99)}`, "–", "not counted against the target"],
    [r.dialect, `queue page (${r.tickets.toLocaleString("en-US")} tickets, ${r.queuePage.openInQueue.toLocaleString("en-US")} open)`, String(r.queuePage.api.n), f(r.queuePage.api.p50), f(r.queuePage.api.p95), f(r.queuePage.api.p99), `${f(r.queuePage.bare.p50)} / ${f(r.queuePage.bare.p95)} / ${f(r.queuePage.bare.p99)}`, `${f(r.queuePage.p95Ratio)}× (p95)`, r.queuePage.api.p95 < HELPDESK_TARGETS.queuePageP95Ms ? "under 50 ms" : "OVER 50 ms"],
  ]);
  return { head, rows };
}
