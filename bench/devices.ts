// The devices benchmark (issue 15, "Performance").
//
// A pickup morning: `stations` (20) stations, each a student tech with an API token, hand out devices
// concurrently until `pickups` (4,200) students have theirs, while IT's live board is subscribed over
// the realtime hub (a WebSocket on the rollout's topic). Measured: the round trip of POST
// /devices/rollouts/{id}/pickups on loopback (from the scan of the tag to the confirmation; an upper
// bound of the server's time), p50/p95/p99; then the same number of pickups through a bare route
// that does the same writes by hand in one transaction (look the device up by tag, the pickup row, the
// assignment, the device's status, its event, the audit record, the board notice) with no
// authentication, validation, policy or presenter: the ratio of the two. Then importing a vendor's
// shipment list of `importRows` (100,000) devices from CSV (checked whole, then applied). Target:
// p99 < 100 ms on both databases; the 100,000-row import under 10 s on SQLite.
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

const PG_ADMIN = process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type DevicesBenchOptions = { pickups: number; stations: number; importRows: number; log: (msg: string) => void };
export const DEVICES_SIZES = { full: { pickups: 4200, stations: 20, importRows: 100_000 }, quick: { pickups: 400, stations: 20, importRows: 10_000 } } as const;

type Latency = { n: number; p50: number; p95: number; p99: number; max: number; seconds: number };
export type DevicesBenchResult = {
  dialect: Dialect;
  pickups: number;
  stations: number;
  route: Latency;
  bare: Latency;
  ratioP99: number;
  boardEvents: number;
  importRows: number;
  importCheckMs: number;
  importApplyMs: number;
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
function summarise(samples: number[], seconds: number): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), p99: r(pct(s, 99)), max: r(s[s.length - 1] ?? 0), seconds: r(seconds) };
}

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
  const { app, ctx, realtime } = await buildApp({ config, database, logger: { level: "warn" } });
  const db = ctx.db;

  // The floor: the same writes by hand, in one transaction, with nothing around them.
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
      const bucket = Math.floor(Date.now() / 500) + 1;
      await enqueueJob(trx, { kind: "devices.board", payload: { rolloutId: b.rolloutId }, runAt: new Date(bucket * 500).toISOString(), dedupeKey: `devices.board:${b.rolloutId}:${bucket}`, maxAttempts: 1 });
    });
    return { ok: true };
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const worker = startJobWorker({ ctx, realtime, handlers: moduleJobHandlers(MODULES) });
  let socket: WebSocket | null = null;
  try {
    const { admin, me } = await setUpDistrict({ baseUrl, setupToken: (await ensureSetupToken(ctx)) ?? "" }, "Bench Unified");
    const districtId = me.district.id;
    const school = await makeSchool(admin, { name: "Bench High", level: "high" });
    const itPerson = await makePerson(admin, { roles: [{ role: "it_staff", schoolId: school.id }] });
    const it = await signedIn({ baseUrl } as never, itPerson.email);
    const model = (await it.post<TDeviceModel>("/api/v1/devices/models", { name: "Bench book", kind: "laptop" })).body;

    // Students (twice the pickups: half for the route, half for the bare route), straight into the directory's tables.
    log(`${dialect}: ${opts.pickups * 2} students, ${opts.pickups * 2} devices`);
    const students: string[] = [];
    const at = nowIso();
    for (let i = 0; i < opts.pickups * 2; i += 500) {
      const people = [];
      const grants = [];
      for (let j = i; j < Math.min(i + 500, opts.pickups * 2); j++) {
        const id = newId();
        students.push(id);
        people.push({ id, district_id: districtId, ...nameColumns(`Student${j}`, `Bench${j}`), email: null, password_hash: null, status: "active" as const, grade_level: "09", student_number: `S${j}`, source_id: null, created_at: at, updated_at: at, deactivated_at: null });
        grants.push({ id: newId(), person_id: id, district_id: districtId, role: "student", school_id: school.id, source: null, created_at: at });
      }
      await db.insertInto("people").values(people).execute();
      await db.insertInto("role_assignments").values(grants).execute();
    }
    let csv = "serial,asset tag,model\n";
    for (let i = 0; i < opts.pickups * 2; i++) csv += `BSN${i},BT-${String(i).padStart(6, "0")},Bench book\n`;
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

    const morning = async (label: string, send: (station: number, i: number) => Promise<number>): Promise<Latency> => {
      const samples: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: opts.stations }, async (_, station) => {
          for (;;) {
            const i = next++;
            if (i >= opts.pickups) return;
            const t = performance.now();
            const status = await send(station, i);
            if (status !== 201 && status !== 200) throw new Error(`${label}: pickup ${i} answered ${status}`);
            samples.push(performance.now() - t);
          }
        }),
      );
      return summarise(samples, (performance.now() - t0) / 1000);
    };
    log(`${dialect}: ${opts.pickups} pickups through the route, ${opts.stations} stations`);
    const route = await morning("route", async (station, i) => {
      const res = await fetch(`${baseUrl}/api/v1/devices/rollouts/${rollout.id}/pickups`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[station] ?? ""}` },
        body: JSON.stringify({ studentId: students[i], tag: `BT-${String(i).padStart(6, "0")}`, station: stations[station], steps: ["account", "video", "basics", "agreement"] }),
      });
      await res.arrayBuffer();
      return res.status;
    });
    log(`${dialect}: ${opts.pickups} pickups through the bare route`);
    const bare = await morning("bare", async (station, i) => {
      const k = opts.pickups + i;
      const res = await fetch(`${baseUrl}/bench/bare/pickup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rolloutId: bareRollout.id, studentId: students[k], tag: `BT-${String(k).padStart(6, "0")}`, station: stations[station], districtId, schoolId: school.id, actorId: itPerson.person.id }),
      });
      await res.arrayBuffer();
      return res.status;
    });
    const board = await it.get<{ pickedUp: number }>(`/api/v1/devices/rollouts/${rollout.id}/board`);
    if (board.body.pickedUp !== opts.pickups) throw new Error(`the board counts ${board.body.pickedUp} pickups, not ${opts.pickups}`);

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
    return { dialect, pickups: opts.pickups, stations: opts.stations, route, bare, ratioP99: Math.round((route.p99 / Math.max(bare.p99, 0.1)) * 100) / 100, boardEvents, importRows: opts.importRows, importCheckMs, importApplyMs };
  } finally {
    socket?.close();
    await worker.stop();
    await app.close();
    await database.close();
    await fresh.drop();
  }
}

/** The results as a table: one row per database. */
export function devicesTable(results: readonly DevicesBenchResult[]): { head: string[]; rows: string[][] } {
  return {
    head: ["database", "pickups", "stations", "route p50 / p95 / p99 ms", "bare p50 / p95 / p99 ms", "p99 ratio", "board events", "import rows", "check s", "apply s (check + write)"],
    rows: results.map((r) => [
      r.dialect,
      String(r.pickups),
      String(r.stations),
      `${r.route.p50} / ${r.route.p95} / ${r.route.p99}`,
      `${r.bare.p50} / ${r.bare.p95} / ${r.bare.p99}`,
      `${r.ratioP99}×`,
      String(r.boardEvents),
      r.importRows.toLocaleString("en-US"),
      (r.importCheckMs / 1000).toFixed(2),
      (r.importApplyMs / 1000).toFixed(2),
    ]),
  };
}
