// The devices benchmark (issue 15, "Performance").
//
// A pickup morning: 20 stations, each a student tech with an API token and a USB scanner, scanning a
// student, scanning a device's tag and confirming (POST /devices/rollouts/{id}/pickups), while IT's
// live board is subscribed over the realtime hub (a WebSocket on the rollout's topic; its events are
// counted). Measured: the round trip of each pickup on loopback (scan → confirmation; an upper bound
// of the server's time), p50/p95/p99, against a bare route that does the same writes by hand in one
// transaction (the device by tag, the pickup row, the assignment, the device's status, its event, the
// audit record; then the board notice once per half second, as the route) with no authentication,
// validation, policy or presenter. Three phases per database:
//   1. one station, no think time, route and bare pickups alternating: each request alone on the
//      server; the statements each sends per pickup (begin/commit not counted);
//   2. the pickup morning: each station waits THINK_MIN_MS–THINK_MAX_MS after a confirmation before
//      the next pickup (a person scanning), route and bare stations at the same time;
//   3. stress: the same stations with no think time (20 requests always in flight), route then bare.
// Then a vendor's shipment list of `importRows` (100,000) devices from CSV (checked whole, then
// applied). Targets: pickup p99 < 100 ms on both databases; the 100,000-row import under 10 s on SQLite.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { buildApp } from "../server/app.js";
import { migrateToLatest, openDatabase, type Dialect } from "../server/db/index.js";
import type { Config } from "../server/env.js";
import { newId, nowIso } from "../server/lib.js";
import { ensureSetupToken } from "../server/modules/accounts/accounts.service.js";
import { MODULES, moduleJobHandlers } from "../server/modules/index.js";
import { nameColumns } from "../server/modules/people/people.repository.js";
import { enqueueJob, startJobWorker } from "../server/platform/jobs.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../tests/helpers/factories.js";
import type { TDeviceModel, TRollout } from "../shared/schemas/devices.js";
import { mulberry32 } from "./dataset.js";

const PG_ADMIN = process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type DevicesBenchOptions = { pickups: number; stations: number; serial: number; importRows: number; log: (msg: string) => void };
export const DEVICES_SIZES = { full: { pickups: 4200, stations: 20, serial: 500, importRows: 100_000 }, quick: { pickups: 400, stations: 20, serial: 100, importRows: 10_000 } } as const;

/**
 * The person at a pickup station, between one confirmation and the next pickup: scan the student's
 * card (or type a name and pick), scan the device's tag, look at the screen, press confirm. Two to four
 * seconds is the fastest a practised person does that with a USB scanner and the steps already done;
 * a real pickup (account, video, basics, agreement) takes a minute or more. Chosen from the scenario,
 * not from the results: docs/benchmarks.md shows the arithmetic.
 */
export const THINK_MIN_MS = 2000;
export const THINK_MAX_MS = 4000;

type Latency = { n: number; p50: number; p95: number; p99: number; max: number };
type Phase = {
  route: Latency;
  bare: Latency;
  ratioP99: number;
  stations: number;
  /** Mean pause at a station between a confirmation and the next pickup, ms. */
  thinkMs: number;
  /** Route pickups a minute over the phase (the bare route's as many again, in the morning). */
  perMinute: number;
  boardEvents?: number;
  statementsRoute?: number;
  statementsBare?: number;
};
export type DevicesBenchResult = {
  dialect: Dialect;
  pickups: number;
  serial: Phase;
  morning: Phase;
  stress: Phase;
  importRows: number;
  importCheckMs: number;
  importApplyMs: number;
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const r1 = (v: number) => Math.round(v * 10) / 10;
function summarise(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: r1(pct(s, 50)), p95: r1(pct(s, 95)), p99: r1(pct(s, 99)), max: r1(s[s.length - 1] ?? 0) };
}
function phase(route: number[], bare: number[], stations: number, thinkMs: number, seconds: number): Phase {
  const r = summarise(route);
  const b = summarise(bare);
  return { route: r, bare: b, ratioP99: Math.round((r.p99 / Math.max(b.p99, 0.1)) * 100) / 100, stations, thinkMs, perMinute: seconds > 0 ? Math.round((route.length / seconds) * 60) : 0 };
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const random = mulberry32(15);
const tagOf = (i: number) => `BT-${String(i).padStart(6, "0")}`;

async function freshDatabase(dialect: Dialect): Promise<{ database: Config["database"]; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "coachwork-bench-devices-"));
  if (dialect === "sqlite") return { database: { kind: "sqlite", file: path.join(dataDir, "coachwork.db") }, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `coachwork_bench_devices_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  // An identifier cannot be a bound parameter; `name` is made from [a-z0-9_] here.
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    database: { kind: "postgres", url: url.toString(), poolSize: 10 },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the pickup morning and the shipment import on one database. */
export async function runDevicesBench(dialect: Dialect, opts: DevicesBenchOptions): Promise<DevicesBenchResult> {
  const { log } = opts;
  const fresh = await freshDatabase(dialect);
  const config: Config = {
    env: "production", port: 0, host: "127.0.0.1", database: fresh.database, dataDir: fresh.dataDir,
    secret: "bench-secret-bench-secret-bench-secret-00", publicUrl: null, logLevel: "warn", smtpUrl: null, mailFrom: "bench@localhost", trustProxy: false,
  };
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  // Counts the statements sent, built or compiled once, in a transaction or not: every one goes
  // through the query executor's executeQuery (shared by all of Kysely's executors; restored below).
  const statements = { n: 0 };
  let proto: { executeQuery: (...args: unknown[]) => Promise<unknown> } | null = Object.getPrototypeOf(database.db.getExecutor()) as typeof proto;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "executeQuery")) proto = Object.getPrototypeOf(proto) as typeof proto;
  if (!proto) throw new Error("Kysely's query executor has no executeQuery");
  const executor = proto;
  const originalExecuteQuery = executor.executeQuery;
  executor.executeQuery = function (this: unknown, ...args: unknown[]) {
    statements.n++;
    return originalExecuteQuery.apply(this, args);
  };
  const { app, ctx, realtime } = await buildApp({ config, database, logger: { level: "warn" } });
  const db = ctx.db;

  // The floor: the same writes by hand, in one transaction, with nothing around them; then, as the
  // route does, the board notice once per rollout and half second from this process, after the commit.
  let bareQueued = 0;
  app.post("/bench/bare/pickup", async (req) => {
    const b = req.body as { rolloutId: string; studentId: string; tag: string; station: string; districtId: string; schoolId: string; actorId: string };
    const at = nowIso();
    await db.transaction().execute(async (trx) => {
      const asset = await trx.selectFrom("device_assets").select(["id", "status"]).where("district_id", "=", b.districtId).where("tag", "=", b.tag).executeTakeFirstOrThrow();
      await trx.insertInto("device_pickups").values({ id: newId(), rollout_id: b.rolloutId, person_id: b.studentId, asset_id: asset.id, school_id: b.schoolId, grade: "09", station: b.station, steps: "[]", by_id: b.actorId, at }).execute();
      await trx.insertInto("device_assignments").values({ id: newId(), district_id: b.districtId, asset_id: asset.id, person_id: b.studentId, kind: "assigned", school_id: b.schoolId, rollout_id: b.rolloutId, due_on: null, assigned_by: b.actorId, assigned_at: at, returned_at: null, returned_by: null, return_condition: null }).execute();
      await trx.updateTable("device_assets").set({ status: "assigned", updated_at: at }).where("id", "=", asset.id).execute();
      await trx.insertInto("device_events").values({ id: newId(), district_id: b.districtId, asset_id: asset.id, person_id: b.studentId, kind: "assigned", details: "{}", actor_id: b.actorId, at }).execute();
      await trx.insertInto("audit_log").values({ id: newId(), district_id: b.districtId, actor_id: b.actorId, action: "device.pickup", subject_type: "person", subject_id: b.studentId, details: "{}", ip: null, user_agent: null, created_at: at }).execute();
    });
    const bucket = Math.floor(Date.now() / 500) + 1;
    if (bucket !== bareQueued) {
      bareQueued = bucket;
      await enqueueJob(db, { kind: "devices.board", payload: { rolloutId: b.rolloutId }, runAt: new Date(bucket * 500).toISOString(), dedupeKey: `devices.board:${b.rolloutId}:${bucket}`, maxAttempts: 1 });
    }
    return { ok: true };
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // Started after the serial pass, so that its statements (claiming the board's jobs) are not counted as the pickups'.
  let worker: ReturnType<typeof startJobWorker> | null = null;
  let socket: WebSocket | null = null;
  try {
    const { admin, me } = await setUpDistrict({ baseUrl, setupToken: (await ensureSetupToken(ctx)) ?? "" }, "Bench Unified");
    const districtId = me.district.id;
    const school = await makeSchool(admin, { name: "Bench High", level: "high" });
    const itPerson = await makePerson(admin, { roles: [{ role: "it_staff", schoolId: school.id }] });
    const it = await signedIn({ baseUrl } as never, itPerson.email);
    const model = (await it.post<TDeviceModel>("/api/v1/devices/models", { name: "Bench book", kind: "laptop" })).body;

    // Students (twice the pickups: half for the route, half for the bare route), straight into the directory's tables.
    // Students and devices: `perKind` for the route (serial, morning, stress), as many for the bare route.
    const perKind = opts.serial + 2 * opts.pickups;
    log(`${dialect}: ${perKind * 2} students, ${perKind * 2} devices`);
    const students: string[] = [];
    const at = nowIso();
    for (let i = 0; i < perKind * 2; i += 500) {
      const people = [];
      const grants = [];
      for (let j = i; j < Math.min(i + 500, perKind * 2); j++) {
        const id = newId();
        students.push(id);
        people.push({ id, district_id: districtId, ...nameColumns(`Student${j}`, `Bench${j}`), email: null, password_hash: null, status: "active" as const, grade_level: "09", student_number: `S${j}`, source_id: null, created_at: at, updated_at: at, deactivated_at: null });
        grants.push({ id: newId(), person_id: id, district_id: districtId, role: "student", school_id: school.id, source: null, created_at: at });
      }
      await db.insertInto("people").values(people).execute();
      await db.insertInto("role_assignments").values(grants).execute();
    }
    let csv = "serial,asset tag,model\n";
    for (let i = 0; i < perKind * 2; i++) csv += `BSN${i},${tagOf(i)},Bench book\n`;
    const imported = await it.request("POST", `/api/v1/devices/assets/import?dryRun=false&schoolId=${school.id}`, undefined, { headers: { "content-type": "text/csv" }, rawBody: csv });
    if (imported.status !== 200) throw new Error(`import failed: ${imported.text}`);
    const stations = Array.from({ length: opts.stations }, (_, i) => `Station ${i + 1}`);
    const rollout = (await it.post<TRollout>("/api/v1/devices/rollouts", { name: "Bench pickup", schoolIds: [school.id], grades: ["09"], modelIds: [model.id], stations, startsOn: "2026-08-01", endsOn: "2026-09-30" })).body;
    const bareRollout = (await it.post<TRollout>("/api/v1/devices/rollouts", { name: "Bench bare", schoolIds: [school.id], grades: ["09"], modelIds: [model.id], stations, startsOn: "2026-08-01", endsOn: "2026-09-30" })).body;

    // The board, subscribed.
    let boardEvents = 0;
    socket = new WebSocket(`${baseUrl.replace("http", "ws")}/api/v1/realtime`, { headers: { cookie: it.cookie ?? "", origin: baseUrl } });
    const ws = socket;
    await new Promise<void>((resolve, reject) => {
      ws.on("open", () => ws.send(JSON.stringify({ type: "subscribe", topic: `rollout:${rollout.id}` })));
      ws.on("message", (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { type: string };
        if (m.type === "subscribed") resolve();
        if (m.type === "event") boardEvents++;
        if (m.type === "error") reject(new Error(data.toString()));
      });
      ws.on("error", reject);
    });

    // One student tech per station, each with an API token.
    const tokens: string[] = [];
    for (let s = 0; s < opts.stations; s++) {
      const tech = await makePerson(admin, { roles: [{ role: "student_tech", schoolId: school.id }], gradeLevel: "11" });
      const client = await signedIn({ baseUrl } as never, tech.email);
      tokens.push((await client.post<{ token: string }>("/api/v1/me/tokens", { name: "station", expiresInDays: 1 })).body.token);
    }
    void PASSWORD;

    // Each pickup sends the next student and device of its kind; the three phases below share them out.
    let nextRoute = 0;
    let nextBare = 0;
    const sendRoute = async (station: number): Promise<number> => {
      const i = nextRoute++;
      const res = await fetch(`${baseUrl}/api/v1/devices/rollouts/${rollout.id}/pickups`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[station % tokens.length] ?? ""}` },
        body: JSON.stringify({ studentId: students[i], tag: tagOf(i), station: stations[station % stations.length], steps: ["account", "video", "basics", "agreement"] }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const sendBare = async (station: number): Promise<number> => {
      const k = perKind + nextBare++;
      const res = await fetch(`${baseUrl}/bench/bare/pickup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rolloutId: bareRollout.id, studentId: students[k], tag: tagOf(k), station: stations[station % stations.length], districtId, schoolId: school.id, actorId: itPerson.person.id }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    /**
     * `count` pickups by `stationCount` stations, each a closed loop: a station sends its next pickup
     * only after the previous one's confirmation and `think()` ms more (the person at the station).
     */
    const stationsRun = async (label: string, send: (station: number) => Promise<number>, count: number, stationCount: number, think: () => number): Promise<number[]> => {
      const samples: number[] = [];
      let left = count;
      await Promise.all(
        Array.from({ length: stationCount }, async (_, station) => {
          const first = think();
          if (first > 0) await sleep(random() * first); // the stations do not all start on the same second
          while (left > 0) {
            left--;
            const t = performance.now();
            const status = await send(station);
            if (status !== 201 && status !== 200) throw new Error(`${label}: a pickup answered ${status}`);
            samples.push(performance.now() - t);
            const pause = think();
            if (pause > 0 && left > 0) await sleep(pause);
          }
        }),
      );
      return samples;
    };
    const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> => {
      const before = statements.n;
      const result = await work();
      return { result, statements: statements.n - before };
    };

    // 1. One station, no think time, route and bare pickups alternating: each request alone on the
    //    server (no queue), the route's own cost against the floor's, and the statements each sends.
    log(`${dialect}: ${opts.serial} pickups through the route and ${opts.serial} through the bare route, one at a time, alternating`);
    const serialRoute: number[] = [];
    const serialBare: number[] = [];
    let routeStatements = 0;
    let bareStatements = 0;
    const serialStart = performance.now();
    for (let i = 0; i < opts.serial; i++) {
      let t = performance.now();
      const r = await counted(() => sendRoute(0));
      serialRoute.push(performance.now() - t);
      t = performance.now();
      const b = await counted(() => sendBare(0));
      serialBare.push(performance.now() - t);
      if (r.result !== 201 || b.result !== 200) throw new Error(`serial: pickup answered ${r.result} / ${b.result}`);
      routeStatements += r.statements;
      bareStatements += b.statements;
    }
    const serial: Phase = {
      ...phase(serialRoute, serialBare, 1, 0, (performance.now() - serialStart) / 1000),
      statementsRoute: Math.round((routeStatements / opts.serial) * 10) / 10,
      statementsBare: Math.round((bareStatements / opts.serial) * 10) / 10,
    };

    worker = startJobWorker({ ctx, realtime, handlers: moduleJobHandlers(MODULES) });

    // 2. The pickup morning: `stations` stations for the route and as many for the bare route, all at
    //    once (both see the same machine at the same moment; the server carries twice the morning),
    //    each station a person who scans the student's card, scans the device's tag and confirms:
    //    THINK_MIN_MS–THINK_MAX_MS between one confirmation and the next pickup (see docs/benchmarks.md).
    log(`${dialect}: the pickup morning: ${opts.pickups} pickups through the route and ${opts.pickups} through the bare route, ${opts.stations} stations each, ${THINK_MIN_MS / 1000}–${THINK_MAX_MS / 1000} s between pickups at a station`);
    const think = () => THINK_MIN_MS + random() * (THINK_MAX_MS - THINK_MIN_MS);
    let eventsBefore = boardEvents;
    let t0 = performance.now();
    const [mRoute, mBare] = await Promise.all([stationsRun("morning route", sendRoute, opts.pickups, opts.stations, think), stationsRun("morning bare", sendBare, opts.pickups, opts.stations, think)]);
    let seconds = (performance.now() - t0) / 1000;
    const morning: Phase = { ...phase(mRoute, mBare, opts.stations, (THINK_MIN_MS + THINK_MAX_MS) / 2, seconds), boardEvents: boardEvents - eventsBefore };

    // 3. The stress figure (the earlier bench's): the same stations with no think time, 20 requests
    //    always in flight, route first, then the bare route. A saturation test, not a morning.
    log(`${dialect}: stress: ${opts.pickups} pickups through the route, then the bare route, ${opts.stations} stations, no think time`);
    eventsBefore = boardEvents;
    t0 = performance.now();
    const sRoute = await stationsRun("stress route", sendRoute, opts.pickups, opts.stations, () => 0);
    const routeSeconds = (performance.now() - t0) / 1000;
    const sBare = await stationsRun("stress bare", sendBare, opts.pickups, opts.stations, () => 0);
    seconds = (performance.now() - t0) / 1000;
    const stress: Phase = { ...phase(sRoute, sBare, opts.stations, 0, routeSeconds), boardEvents: boardEvents - eventsBefore };
    void seconds;

    // The board counts every pickup of the route's rollout, and its subscriber heard about them.
    await sleep(1500);
    const board = await it.get<{ pickedUp: number }>(`/api/v1/devices/rollouts/${rollout.id}/board`);
    if (board.body.pickedUp !== nextRoute) throw new Error(`the board counts ${board.body.pickedUp} pickups, not ${nextRoute}`);
    if (boardEvents === 0) throw new Error("the subscribed board heard no event");

    log(`${dialect}: importing ${opts.importRows.toLocaleString("en-US")} devices from CSV`);
    let big = "Serial Number,Asset Tag,Model\n";
    for (let i = 0; i < opts.importRows; i++) big += `VSN${String(i).padStart(7, "0")},VT-${String(i).padStart(7, "0")},Bench book\n`;
    const post = async (dryRun: boolean) => {
      const t = performance.now();
      const res = await it.request<{ created: number; errorCount: number }>("POST", `/api/v1/devices/assets/import?dryRun=${dryRun}&schoolId=${school.id}`, undefined, { headers: { "content-type": "text/csv" }, rawBody: big });
      if (res.status !== 200 || res.body.errorCount !== 0 || res.body.created !== opts.importRows) throw new Error(`import answered ${res.status} ${res.text.slice(0, 300)}`);
      return performance.now() - t;
    };
    const importCheckMs = Math.round(await post(true));
    const importApplyMs = Math.round(await post(false));
    return { dialect, pickups: opts.pickups, serial, morning, stress, importRows: opts.importRows, importCheckMs, importApplyMs };
  } finally {
    executor.executeQuery = originalExecuteQuery;
    socket?.close();
    await worker?.stop();
    await app.close();
    await database.close();
    await fresh.drop();
  }
}

/** The results as two tables: the pickups (three phases per database), the import. */
export function devicesTables(results: readonly DevicesBenchResult[]): { title: string; head: string[]; rows: string[][] }[] {
  const lat = (l: Latency) => `${l.p50} / ${l.p95} / ${l.p99}`;
  const row = (r: DevicesBenchResult, name: string, p: Phase) => [
    r.dialect,
    name,
    p.route.n.toLocaleString("en-US"),
    String(p.stations),
    p.thinkMs ? `${(THINK_MIN_MS / 1000).toFixed(0)}–${(THINK_MAX_MS / 1000).toFixed(0)} s` : "none",
    String(p.perMinute),
    lat(p.route),
    lat(p.bare),
    `${p.ratioP99}×`,
    p.statementsRoute !== undefined ? `${p.statementsRoute} / ${p.statementsBare}` : "",
    p.boardEvents !== undefined ? String(p.boardEvents) : "",
  ];
  return [
    {
      title: "Devices: pickups (loopback round trip, board subscribed) against a bare route doing the same writes, in the same run",
      head: ["database", "phase", "pickups", "stations", "think", "route pickups/min", "route p50 / p95 / p99 ms", "bare p50 / p95 / p99 ms", "p99 ratio", "statements route / bare", "board events"],
      rows: results.flatMap((r) => [row(r, "one station, serial", r.serial), row(r, "pickup morning", r.morning), row(r, "stress (no think time)", r.stress)]),
    },
    {
      title: "Devices: the shipment CSV import",
      head: ["database", "import rows", "check s", "apply s (check + write)"],
      rows: results.map((r) => [r.dialect, r.importRows.toLocaleString("en-US"), (r.importCheckMs / 1000).toFixed(2), (r.importApplyMs / 1000).toFixed(2)]),
    },
  ];
}
