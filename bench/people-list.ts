import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { tmpdir } from "node:os";
import path from "node:path";
import { ZListPeopleQuery } from "../shared/schemas/people.js";
import { buildApp } from "../server/app.js";
import { actorFromApiToken } from "../server/auth/session-store.js";
import { migrateToLatest, openDatabase, type Dialect } from "../server/db/index.js";
import type { Config } from "../server/env.js";
import { fold, newId, nowIso, sha256 } from "../server/lib.js";
import { listPeopleForActor } from "../server/modules/people/people.service.js";
import { BARE_PATH, PROPOSED_PATH, openBareDriver, registerBareRoute, type BareDriver } from "./bare-route.js";
import {
  checkSameSql,
  countSql,
  insertAuditSql,
  isPlannedBareSearch,
  pageSql,
  planOfCounts,
  rolesOfSql,
  schoolNamesSql,
  tokenSql,
  wordCountsSql,
  type BareFilter,
  type SqlOptions,
} from "./bare-sql.js";
import { ensureDataset, resetAuditLog, type DatasetMeta, type DatasetSize } from "./dataset.js";
import { jobSeconds, runLoad, type LoadJob, type LoadResult } from "./load.js";
import { startProfile, summarizeProfile, type ProfileSummary } from "./profile.js";
import { median, round } from "./report.js";

// GET /api/v1/people?limit=50 against a 200,000-person directory, filtered by school, by a search
// term, and by both, compared with a bare route in the same process that runs the same SQL.

export const ROUTE_PATH = "/api/v1/people";

/** Common 3-letter prefixes of given and family names: each matches thousands of people. */
export const SEARCH_TERMS = ["mar", "jos", "chr", "ste", "wil", "lin", "gar", "rob"] as const;

/** Measured rounds over the scenario's queries for the one-connection timings (after a warm-up pass). */
const SINGLE_ROUNDS = 6;

/** The targets for the real route at 8 connections. */
export const TARGETS = { minRatio: 0.7, maxP99Ms: 25 } as const;

/**
 * By default a scenario is load-tested only when one request alone (median) takes less than a slice of
 * the load test divided by (connections × 3). With 8 connections in a closed loop and a database that
 * works one statement at a time (SQLite), every response waits for the other seven, so anything slower
 * would leave a slice with a handful of responses, or none, and measure only the queue.
 */
export function autoSlowMs(o: { durationSeconds: number; rounds: number; connections: number }): number {
  return (o.durationSeconds * 1000) / o.rounds / (o.connections * 3);
}

export type PeopleListOptions = {
  dialect: Dialect;
  size: DatasetSize;
  connections: number;
  warmupSeconds: number;
  /** Measured seconds per route, split over `rounds` alternating slices. */
  durationSeconds: number;
  rounds: number;
  /** In-process sequential timing budget per scenario. */
  breakdownSeconds: number;
  /** Skip the load test when one request alone takes longer than this (median, ms); null: autoSlowMs. */
  slowMs: number | null;
  /** Also load-test the bare route with the proposed statements (PROPOSED_SQL). */
  isWhatIf: boolean;
  /** When set, also profiles the server during an extra load run of each route and writes .cpuprofile files here. */
  profileDir: string | null;
  log: (msg: string) => void;
};

/** Mean milliseconds per request of each step, measured in-process and one request at a time. */
export type Breakdown = {
  /** The real service call (listPeopleForActor): Kysely, policy, presenter, audit write; no HTTP, no auth. */
  serviceMs: number;
  /** The bare statements, one by one. */
  authMs: number;
  countMs: number;
  pageMs: number;
  rolesMs: number;
  /** The audit insert, when the page shows students. */
  auditMs: number;
  /** SQLite: preparing the five statements from their text, which Kysely's driver repeats on every query. */
  prepareMs: number | null;
  iterations: number;
};

export type ScenarioResult = {
  name: string;
  description: string;
  urls: string[];
  /** `total` of each URL's first page: how many people the filter matches. */
  matches: number[];
  /** Median wall time of one request at a time over HTTP (fetch), warm (after a pass, SINGLE_ROUNDS over the queries, each route on its own), before the load test. */
  singleRequestMs: { route: number; bare: number };
  breakdown: Breakdown;
  route: LoadResult | null;
  bare: LoadResult | null;
  /** Route throughput ÷ bare throughput. */
  ratio: number | null;
  meetsRatio: boolean | null;
  meetsP99: boolean | null;
  skipped: string | null;
  /** The machine's 1-minute load average as the load test began (the server, database and load generator add to it). */
  loadAverage: number | null;
  profile: { route: ProfileSummary; bare: ProfileSummary; files: string[] } | null;
  whatIf: WhatIfResult | null;
};

/** The bare route with PROPOSED_SQL: what the floor would be after the changes docs/benchmarks.md proposes. */
export type WhatIfResult = {
  singleRequestMs: number;
  load: LoadResult | null;
  meetsP99: boolean | null;
  skipped: string | null;
};

/**
 * The statements as proposed. Nothing is proposed today: the school filter's CTE is in the server
 * since 62ee862, and totals counted to "1,000+" since issue 18; `{ countCap: null }` measures the
 * bare route counting every match, as before that.
 */
export const PROPOSED_SQL: SqlOptions = { countCap: null };

export type PeopleListResult = {
  dialect: Dialect;
  dataset: Omit<DatasetMeta, "token">;
  datasetGeneratedMs: number | null;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
  scenarios: ScenarioResult[];
};

type Scenario = { name: string; description: string; queries: string[] };

function benchConfig(database: Config["database"], dataDir: string): Config {
  return {
    env: "production",
    port: 0,
    host: "127.0.0.1",
    database,
    dataDir,
    secret: sha256("coachwork-bench-secret"),
    publicUrl: null,
    logLevel: "warn",
    smtpUrl: null,
    mailFrom: "Coachwork <bench@localhost>",
    trustProxy: false,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** The first difference between two strings, shown with some context, for a readable error. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at byte ${i}:\n  route: …${a.slice(Math.max(0, i - 60), i + 60)}…\n  bare:  …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

function filterOf(districtId: string, query: string): BareFilter {
  const params = new URLSearchParams(query);
  const q = params.get("q")?.trim();
  const schoolId = params.get("schoolId");
  return {
    districtId,
    status: "active",
    words: q ? fold(q).split(/\s+/).filter((w) => w.length > 0).slice(0, 4) : [],
    ...(schoolId === null ? {} : { schoolId }),
  };
}

/** Runs the directory benchmark on one dialect. */
export async function benchPeopleList(opts: PeopleListOptions): Promise<PeopleListResult> {
  const { log } = opts;
  const ds = await ensureDataset(opts.dialect, opts.size, log);
  if (ds.generatedMs !== null) log(`dataset generated in ${round(ds.generatedMs / 1000)} s`);
  const meta = ds.meta;
  const dataDir = mkdtempSync(path.join(tmpdir(), "coachwork-bench-app-"));
  const proposedDatabase: Config["database"] | null = opts.isWhatIf ? ds.database : null;
  const database = openDatabase(ds.database);
  let bare: BareDriver | undefined;
  let proposed: BareDriver | undefined;
  try {
    await migrateToLatest(database.db);
    const { app, ctx } = await buildApp({ config: benchConfig(ds.database, dataDir), database, logger: { level: "warn" } });
    bare = openBareDriver(ds.database);
    const bareDriver = bare;
    registerBareRoute(app, bareDriver, opts.dialect);
    if (proposedDatabase) {
      proposed = openBareDriver(proposedDatabase);
      registerBareRoute(app, proposed, opts.dialect, { path: PROPOSED_PATH, sql: PROPOSED_SQL });
    }
    // Requests still running after the load generator hangs up (SQLite works through its queue) would write
    // audit rows into the next step's checks; counting them lets each step wait for a quiet server.
    let inFlight = 0;
    app.server.on("request", (_req, res: { once(event: "close", fn: () => void): void }) => {
      inFlight++;
      res.once("close", () => inFlight--);
    });
    // A request whose client hung up counts as closed while its handler may still run, so also wait
    // until the audit log (every slow page writes one entry) has stopped growing for a second.
    const quiesce = async () => {
      const until = Date.now() + 300_000;
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      while (inFlight > 0 && Date.now() < until) await sleep(20);
      let last = -1;
      for (;;) {
        const row = await ctx.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
        const n = Number(row.n);
        if (n === last || Date.now() > until) return;
        last = n;
        await sleep(1000);
      }
    };
    await app.listen({ host: "127.0.0.1", port: 0 });
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${meta.token}` };

    try {
      // Mid-sized schools: the eight whose head count is nearest the median.
      const bySize = await ctx.db
        .selectFrom("role_assignments")
        .select(["school_id", (eb) => eb.fn.count<number>("person_id").distinct().as("n")])
        .where("school_id", "is not", null)
        .groupBy("school_id")
        .orderBy("n")
        .execute();
      const mid = Math.floor(bySize.length / 2);
      const schoolIds = bySize
        .slice(Math.max(0, mid - 4), mid + 4)
        .map((r) => r.school_id)
        .filter((id): id is string => id !== null);
      const scenarios: Scenario[] = [
        { name: "school", description: "?limit=50&schoolId=<one of 8 mid-sized schools>", queries: schoolIds.map((id) => `limit=50&schoolId=${id}`) },
        { name: "search", description: `?limit=50&q=<one of ${SEARCH_TERMS.join(", ")}>`, queries: SEARCH_TERMS.map((t) => `limit=50&q=${t}`) },
        {
          name: "school+search",
          description: "?limit=50&schoolId=<school>&q=<term>, the pairs of the two lists",
          queries: schoolIds.map((id, i) => `limit=50&schoolId=${id}&q=${SEARCH_TERMS[i % SEARCH_TERMS.length] ?? "mar"}`),
        },
      ];

      const sqlProblems = await checkSameSql(
        opts.dialect,
        scenarios.flatMap((s) => s.queries.map((q) => filterOf(meta.districtId, q))),
      );
      if (sqlProblems.length > 0) {
        throw new Error(`The bare route's SQL is not the repositories' SQL on ${opts.dialect}:\n${sqlProblems.join("\n")}`);
      }
      log(`${opts.dialect}: the bare route's statements are identical to the repositories' (text and parameters)`);

      const actor = await actorFromApiToken(ctx.db, meta.token);
      if (!actor) throw new Error("the dataset's API token does not authenticate");
      const results: ScenarioResult[] = [];
      for (const s of scenarios) {
        await quiesce();
        log(`${opts.dialect} / ${s.name}: checking responses…`);
        const routeMs: number[] = [];
        const routeBodies = new Map<string, string>();
        const bareMs: number[] = [];
        const matches: number[] = [];
        const slowMs = opts.slowMs ?? autoSlowMs(opts);
        // Requests of many seconds each: check two URLs, not all, to keep the run bounded.
        let isVerySlow = false;
        for (const [i, query] of s.queries.entries()) {
          if (isVerySlow && i >= 2) break;
          const r = await timed(() => fetch(`${origin}${ROUTE_PATH}?${query}`, { headers }).then(async (res) => ({ status: res.status, body: await res.text() })));
          const b = await timed(() => fetch(`${origin}${BARE_PATH}?${query}`, { headers }).then(async (res) => ({ status: res.status, body: await res.text() })));
          if (r.value.status !== 200) throw new Error(`GET ${ROUTE_PATH}?${query} answered ${r.value.status}: ${r.value.body.slice(0, 300)}`);
          if (r.value.body !== b.value.body) {
            throw new Error(`The bare route's JSON differs from the real route's for ?${query} (${opts.dialect}) ${firstDifference(r.value.body, b.value.body)}`);
          }
          routeMs.push(r.ms);
          routeBodies.set(query, r.value.body);
          bareMs.push(b.ms);
          matches.push((JSON.parse(r.value.body) as { total: number }).total);
          // The median, not the worst: one URL with a bad plan must not cut the others from the timings.
          if (median(routeMs) > Math.max(2000, slowMs * 5)) isVerySlow = true;
        }
        const isSlow = median(routeMs) > slowMs;
        await checkSameAudit(ctx.db, origin, s.queries[0] ?? "", headers);

        log(`${opts.dialect} / ${s.name}: timing each step in-process…`);
        const breakdown = await measureBreakdown({
          dialect: opts.dialect,
          driver: bareDriver,
          token: meta.token,
          personId: meta.adminId,
          districtId: meta.districtId,
          queries: isVerySlow ? s.queries.slice(0, 1) : s.queries,
          budgetMs: isSlow ? 0 : opts.breakdownSeconds * 1000,
          service: async (query) => {
            const parsed = ZListPeopleQuery.parse(Object.fromEntries(new URLSearchParams(query)));
            await listPeopleForActor(ctx, actor, parsed, { ip: "127.0.0.1", userAgent: "bench" });
          },
        });

        // One connection, warm. Not interleaved: the bare route has its own SQLite connection, and a
        // write on one connection (each request's audit record) empties the other's page cache, so
        // taking turns would make each route read cold after the other's write, which a server with
        // its one writer connection never does. So each route alone: a pass to warm up, then rounds.
        if (!isSlow) {
          const rounds = async (path: string): Promise<number[]> => {
            const times: number[] = [];
            for (let round = 0; round <= SINGLE_ROUNDS; round++) {
              for (const query of s.queries) {
                const ms = (await timed(() => fetch(`${origin}${path}?${query}`, { headers }).then((res) => res.text()))).ms;
                if (round > 0) times.push(ms);
              }
            }
            return times;
          };
          routeMs.splice(0, routeMs.length, ...(await rounds(ROUTE_PATH)));
          bareMs.splice(0, bareMs.length, ...(await rounds(BARE_PATH)));
        }
        const single = { route: median(routeMs), bare: median(bareMs) };
        let route: LoadResult | null = null;
        let bareResult: LoadResult | null = null;
        let skipped: string | null = null;
        let loadAverage: number | null = null;
        if (isSlow) {
          skipped = `not load-tested: one request alone takes ${Math.round(single.route)} ms (median; limit ${Math.round(slowMs)} ms, see --slow-ms)`;
          log(`${opts.dialect} / ${s.name}: ${skipped}`);
        } else {
          const job: LoadJob = {
            origin,
            headers,
            connections: opts.connections,
            targets: [
              { label: "route", paths: s.queries.map((q) => `${ROUTE_PATH}?${q}`) },
              { label: "bare", paths: s.queries.map((q) => `${BARE_PATH}?${q}`) },
            ],
            rounds: opts.rounds,
            warmupSeconds: opts.warmupSeconds,
            rewarmSeconds: 1,
            sliceSeconds: opts.durationSeconds / opts.rounds,
            timeoutSeconds: 30,
          };
          log(
            `${opts.dialect} / ${s.name}: load, ${opts.connections} connections, route and bare taking turns ` +
              `(${opts.rounds} × ${round(job.sliceSeconds)} s each after ${opts.warmupSeconds} s warm-up; ~${Math.round(jobSeconds(job))} s)…`,
          );
          await resetAuditLog(ctx.db);
          loadAverage = os.loadavg()[0] ?? null;
          const measured = await runLoad(job);
          await quiesce();
          route = measured.route ?? null;
          bareResult = measured.bare ?? null;
          if (!route || !bareResult) throw new Error("the load worker returned no result for a route");
          for (const [label, r] of [["route", route], ["bare", bareResult]] as const) {
            if (r.non2xx + r.errors + r.timeouts > 0) {
              log(`WARNING ${opts.dialect} / ${s.name} / ${label}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
            }
          }
        }
        let profile: ScenarioResult["profile"] = null;
        if (opts.profileDir && !isSlow) {
          const files: string[] = [];
          const summaries: ProfileSummary[] = [];
          for (const [label, base] of [["route", ROUTE_PATH], ["bare", BARE_PATH]] as const) {
            log(`${opts.dialect} / ${s.name}: profiling the server during load on the ${label} route…`);
            await resetAuditLog(ctx.db);
            const stopProfile = await startProfile();
            await runLoad({
              origin,
              headers,
              connections: opts.connections,
              targets: [{ label, paths: s.queries.map((q) => `${base}?${q}`) }],
              rounds: 1,
              warmupSeconds: 0,
              rewarmSeconds: 0,
              sliceSeconds: Math.min(10, opts.durationSeconds),
              timeoutSeconds: 30,
            });
            await quiesce();
            const cpu = await stopProfile();
            const file = path.join(opts.profileDir, `${opts.dialect}-${s.name.replace(/\W+/g, "-")}-${label}.cpuprofile`);
            writeFileSync(file, JSON.stringify(cpu));
            files.push(file);
            summaries.push(summarizeProfile(cpu));
          }
          const [routeProfile, bareProfile] = summaries;
          if (routeProfile && bareProfile) profile = { route: routeProfile, bare: bareProfile, files };
        }
        let whatIf: WhatIfResult | null = null;
        if (proposed) {
          log(`${opts.dialect} / ${s.name}: what-if, the bare route with the proposed statements…`);
          await quiesce();
          const times: number[] = [];
          for (const [query, routeBody] of routeBodies) {
            const p = await timed(() => fetch(`${origin}${PROPOSED_PATH}?${query}`, { headers }).then(async (res) => ({ status: res.status, body: await res.text() })));
            if (p.value.status !== 200) throw new Error(`GET ${PROPOSED_PATH}?${query} answered ${p.value.status}: ${p.value.body.slice(0, 300)}`);
            // Same people on the page, same cursor; only `total` may stop at 1,001.
            const a = JSON.parse(routeBody) as { items: unknown[]; total: number; nextCursor: string | null };
            const b = JSON.parse(p.value.body) as { items: unknown[]; total: number; nextCursor: string | null };
            if (JSON.stringify([a.items, a.nextCursor]) !== JSON.stringify([b.items, b.nextCursor]) || b.total !== Math.min(a.total, 1001)) {
              throw new Error(`The proposed statements give a different page for ?${query} (${opts.dialect})`);
            }
            times.push(p.ms);
          }
          const single = median(times);
          let load: LoadResult | null = null;
          let whySkipped: string | null = null;
          if (single > slowMs) {
            whySkipped = `not load-tested: one request alone takes ${Math.round(single)} ms`;
          } else {
            const measured = await runLoad({
              origin,
              headers,
              connections: opts.connections,
              targets: [{ label: "proposed", paths: s.queries.map((q) => `${PROPOSED_PATH}?${q}`) }],
              rounds: opts.rounds,
              warmupSeconds: opts.warmupSeconds,
              rewarmSeconds: 1,
              sliceSeconds: opts.durationSeconds / opts.rounds,
              timeoutSeconds: 30,
            });
            await quiesce();
            load = measured.proposed ?? null;
          }
          whatIf = {
            singleRequestMs: round(single, 2),
            load,
            meetsP99: load !== null && load.requests > 0 && Number.isFinite(load.latencyMs.p99) ? load.latencyMs.p99 < TARGETS.maxP99Ms : false,
            skipped: whySkipped,
          };
        }
        const ratio = route && bareResult && bareResult.rps > 0 ? route.rps / bareResult.rps : null;
        results.push({
          name: s.name,
          description: s.description,
          urls: s.queries,
          matches,
          singleRequestMs: { route: round(single.route, 2), bare: round(single.bare, 2) },
          breakdown,
          route,
          bare: bareResult,
          ratio: ratio === null ? null : round(ratio, 3),
          meetsRatio: ratio === null ? null : ratio >= TARGETS.minRatio,
          // p99 is null (NaN through JSON) when no request completed: that is a miss, not a pass.
          meetsP99: route !== null && route.requests > 0 && Number.isFinite(route.latencyMs.p99) ? route.latencyMs.p99 < TARGETS.maxP99Ms : false,
          skipped,
          loadAverage,
          profile,
          whatIf,
        });
      }
      await resetAuditLog(ctx.db);
      const { token: _token, ...dataset } = meta;
      return {
        dialect: opts.dialect,
        dataset,
        datasetGeneratedMs: ds.generatedMs,
        connections: opts.connections,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.durationSeconds,
        rounds: opts.rounds,
        scenarios: results,
      };
    } finally {
      await app.close();
    }
  } finally {
    await bare?.close();
    await proposed?.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Both routes must leave the same audit entry (apart from its id and time) for the same request. */
async function checkSameAudit(db: Parameters<typeof resetAuditLog>[0], origin: string, query: string, headers: Record<string, string>): Promise<void> {
  await resetAuditLog(db);
  // A user agent of its own picks out this check's entries from any a late request might still add.
  const userAgent = `coachwork-bench-audit-check-${Math.random().toString(36).slice(2)}`;
  for (const base of [ROUTE_PATH, BARE_PATH]) {
    const res = await fetch(`${origin}${base}?${query}`, { headers: { ...headers, "user-agent": userAgent } });
    await res.arrayBuffer();
  }
  const rows = await db
    .selectFrom("audit_log")
    .select(["district_id", "actor_id", "action", "subject_type", "subject_id", "ip", "user_agent", "details"])
    .where("user_agent", "=", userAgent)
    .orderBy("seq")
    .execute();
  const [a, b] = rows.map((r) => JSON.stringify(r));
  // No entry from either is fine too: a page without students is not an education-record read.
  if (rows.length !== 0 && (rows.length !== 2 || a !== b)) {
    throw new Error(`The routes' audit entries differ for ?${query}:\n  route: ${a ?? "(none)"}\n  bare:  ${b ?? "(none)"}`);
  }
  await resetAuditLog(db);
}

async function measureBreakdown(o: {
  dialect: Dialect;
  driver: BareDriver;
  token: string;
  personId: string;
  districtId: string;
  queries: string[];
  budgetMs: number;
  service: (query: string) => Promise<void>;
}): Promise<Breakdown> {
  const sums = { serviceMs: 0, authMs: 0, countMs: 0, pageMs: 0, rolesMs: 0, auditMs: 0, prepareMs: 0 };
  let iterations = 0;
  const started = performance.now();
  do {
    for (const query of o.queries) {
      const f = filterOf(o.districtId, query);
      sums.serviceMs += (await timed(() => o.service(query))).ms;
      sums.authMs += (
        await timed(() => o.driver.all(tokenSql(o.dialect, sha256(o.token))))
      ).ms;
      sums.countMs += (await timed(() => o.driver.all(countSql(o.dialect, f)))).ms;
      // The page's time includes the words' counts that choose its plan (a district-wide search on SQLite).
      const page = await timed(async () => {
        const plan = isPlannedBareSearch(o.dialect, f) ? planOfCounts((await o.driver.all(wordCountsSql(o.dialect, f.districtId, f.words)))[0], f.words) : null;
        return o.driver.all(pageSql(o.dialect, f, 51, {}, plan));
      });
      sums.pageMs += page.ms;
      const ids = page.value.slice(0, 50).map((r) => String(r.id));
      const roles = ids.length ? await timed(() => o.driver.all(rolesOfSql(o.dialect, ids))) : { ms: 0, value: [] };
      const schoolIds = [...new Set(roles.value.flatMap((r) => (r.school_id === null ? [] : [String(r.school_id)])))];
      const names = schoolIds.length ? await timed(() => o.driver.all(schoolNamesSql(o.dialect, schoolIds))) : { ms: 0 };
      sums.rolesMs += roles.ms + names.ms;
      const studentIds = [...new Set(roles.value.filter((r) => r.role === "student" || r.role === "student_tech").map((r) => String(r.person_id)))];
      if (studentIds.length) {
        const details = JSON.stringify({ query: { q: "bench", status: "active" }, studentIds });
        const audit = insertAuditSql(o.dialect, { id: newId(), districtId: o.districtId, actorId: o.personId, ip: "127.0.0.1", userAgent: "bench", details, createdAt: nowIso() });
        sums.auditMs += (await timed(() => o.driver.run(audit))).ms;
      }
      const { prepareMs } = o.driver;
      if (prepareMs) {
        for (const q of [tokenSql(o.dialect, ""), countSql(o.dialect, f), pageSql(o.dialect, f, 51), rolesOfSql(o.dialect, ids), schoolNamesSql(o.dialect, ['x'])]) {
          sums.prepareMs += prepareMs(q.sql);
        }
      }
      iterations++;
    }
  } while (performance.now() - started < o.budgetMs && iterations < 400);
  const per = (v: number) => round(v / iterations, 3);
  return {
    serviceMs: per(sums.serviceMs),
    authMs: per(sums.authMs),
    countMs: per(sums.countMs),
    pageMs: per(sums.pageMs),
    rolesMs: per(sums.rolesMs),
    auditMs: per(sums.auditMs),
    prepareMs: o.driver.prepareMs ? per(sums.prepareMs) : null,
    iterations,
  };
}
