import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Dialect } from "../server/db/index.js";
import { chatsTable, runChatsBench, type ChatsBenchResult } from "./chats.js";
import { BENCH_PG_ADMIN_URL, type DatasetSize } from "./dataset.js";
import { helpdeskTable, runHelpdeskBench, type HelpdeskBenchResult } from "./helpdesk.js";
import { observationsTable, runObservationsBench, type ObservationsBenchResult } from "./observations.js";
import { DEVICES_SIZES, devicesTables, runDevicesBench, type DevicesBenchResult } from "./devices.js";
import { benchPeopleList, TARGETS, type PeopleListResult } from "./people-list.js";
import { fmt, machineInfo, markdownTable, table, type Machine } from "./report.js";
import { benchStartup, type StartupResult } from "./startup.js";

// `npm run bench [-- --only people|startup|observations|helpdesk] [--quick] [--dialect sqlite|postgres] [--duration s] [--out file]`
// [--profile]: also CPU-profile the server during an extra load run per scenario and route.
// [--what-if]: also load-test the bare route with other statements (PROPOSED_SQL in people-list.ts).
// [--slow-ms <ms>]: load-test a scenario when one request alone takes up to this long (default: a slice / (connections × 3)).
// Environment equivalents: BENCH_ONLY, BENCH_QUICK=1, BENCH_DIALECT, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_PROFILE=1, BENCH_WHAT_IF=1, BENCH_SLOW_MS, BENCH_OUT.

const USAGE = `usage: npm run bench -- [--only people|startup|observations|helpdesk|devices|chats] [--quick] [--dialect sqlite|postgres] [--duration <s>] [--connections <n>] [--profile] [--what-if] [--slow-ms <ms>] [--out <file.json>]`;

type Options = {
  only: "people" | "startup" | "observations" | "helpdesk" | "devices" | "chats" | null;
  isQuick: boolean;
  dialects: Dialect[];
  size: DatasetSize;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
  breakdownSeconds: number;
  slowMs: number | null;
  startupRuns: number;
  isProfiling: boolean;
  isWhatIf: boolean;
  out: string;
};

function options(): Options {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      quick: { type: "boolean" },
      dialect: { type: "string" },
      duration: { type: "string" },
      connections: { type: "string" },
      out: { type: "string" },
      profile: { type: "boolean" },
      "what-if": { type: "boolean" },
      "slow-ms": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only ?? process.env.BENCH_ONLY ?? null;
  if (only !== null && only !== "people" && only !== "startup" && only !== "observations" && only !== "helpdesk" && only !== "devices" && only !== "chats") throw new Error(`--only must be people, startup, observations, helpdesk, devices or chats\n${USAGE}`);
  const dialect = values.dialect ?? process.env.BENCH_DIALECT;
  if (dialect !== undefined && dialect !== "sqlite" && dialect !== "postgres") throw new Error(`--dialect must be sqlite or postgres\n${USAGE}`);
  const isQuick = values.quick === true || process.env.BENCH_QUICK === "1";
  const number = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${v}\n${USAGE}`);
    return n;
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return {
    only,
    isQuick,
    dialects: dialect ? [dialect] : ["sqlite", "postgres"],
    size: isQuick ? "quick" : "full",
    connections: number(values.connections ?? process.env.BENCH_CONNECTIONS, 8),
    warmupSeconds: isQuick ? 1 : 3,
    durationSeconds: number(values.duration ?? process.env.BENCH_DURATION, isQuick ? 3 : 15),
    rounds: isQuick ? 1 : 3,
    breakdownSeconds: isQuick ? 0.5 : 3,
    slowMs: (values["slow-ms"] ?? process.env.BENCH_SLOW_MS) === undefined ? null : number(values["slow-ms"] ?? process.env.BENCH_SLOW_MS, 0),
    startupRuns: isQuick ? 2 : 5,
    isProfiling: values.profile === true || process.env.BENCH_PROFILE === "1",
    isWhatIf: values["what-if"] === true || process.env.BENCH_WHAT_IF === "1",
    out: values.out ?? process.env.BENCH_OUT ?? path.join(tmpdir(), "coachwork-bench", "results", `${stamp}.json`),
  };
}

async function postgresVersion(): Promise<string | null> {
  const c = new pg.Client({ connectionString: BENCH_PG_ADMIN_URL });
  try {
    await c.connect();
    const r = await c.query<{ v: string }>("select current_setting('server_version') as v");
    return r.rows[0]?.v ?? null;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const log = (msg: string) => console.error(`[bench] ${msg}`);

function peopleTables(results: readonly PeopleListResult[]) {
  const head = ["dialect", "scenario", "matches", "route req/s", "p50 ms", "p99 ms", "bare req/s", "p50 ms", "p99 ms", "ratio", "≥0.7", "p99<25", "load avg"];
  const rows = results.flatMap((r) =>
    r.scenarios.map((s) => {
      const yes = (b: boolean | null) => (b === null ? "–" : b ? "yes" : "NO");
      return [
        r.dialect,
        s.name,
        s.matches.length ? `${Math.min(...s.matches)}–${Math.max(...s.matches)}` : "–",
        fmt(s.route?.rps, 0),
        fmt(s.route?.latencyMs.p50),
        fmt(s.route?.latencyMs.p99),
        fmt(s.bare?.rps, 0),
        fmt(s.bare?.latencyMs.p50),
        fmt(s.bare?.latencyMs.p99),
        fmt(s.ratio, 2),
        yes(s.meetsRatio),
        yes(s.meetsP99),
        fmt(s.loadAverage, 1),
      ];
    }),
  );
  const bHead = ["dialect", "scenario", "1 req route ms", "1 req bare ms", "service ms", "auth ms", "count ms", "page ms", "roles ms", "audit ms", "prepare ms"];
  const bRows = results.flatMap((r) =>
    r.scenarios.map((s) => [
      r.dialect,
      s.name,
      fmt(s.singleRequestMs.route, 2),
      fmt(s.singleRequestMs.bare, 2),
      fmt(s.breakdown.serviceMs, 2),
      fmt(s.breakdown.authMs, 2),
      fmt(s.breakdown.countMs, 2),
      fmt(s.breakdown.pageMs, 2),
      fmt(s.breakdown.rolesMs, 2),
      fmt(s.breakdown.auditMs, 2),
      fmt(s.breakdown.prepareMs, 2),
    ]),
  );
  return { head, rows, bHead, bRows };
}

function startupTable(result: StartupResult) {
  const head = ["startup case", "median ms", "runs (ms)"];
  const rows = result.cases.map((c) => [c.name, c.medianMs === null ? "–" : fmt(c.medianMs, 0), c.skipped ?? c.runsMs.map((v) => v.toFixed(0)).join(", ")]);
  return { head, rows };
}

async function main(): Promise<void> {
  const opts = options();
  const machine: Machine = machineInfo(await postgresVersion());
  log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memory}, Node ${machine.node}, PostgreSQL ${machine.postgres ?? "unreachable"}`);
  if (machine.loadAverage[0] > machine.cores / 2) {
    log(`WARNING: load average ${machine.loadAverage.join(" ")} on ${machine.cores} cores; other work on this machine will skew the figures`);
  }
  const people: PeopleListResult[] = [];
  let startup: StartupResult | null = null;
  const observations: ObservationsBenchResult[] = [];
  const helpdesk: HelpdeskBenchResult[] = [];
  const devices: DevicesBenchResult[] = [];
  let chats: ChatsBenchResult | null = null;

  mkdirSync(path.dirname(opts.out), { recursive: true });
  if (opts.only === null || opts.only === "people") {
    for (const dialect of opts.dialects) {
      people.push(
        await benchPeopleList({
          dialect,
          size: opts.size,
          connections: opts.connections,
          warmupSeconds: opts.warmupSeconds,
          durationSeconds: opts.durationSeconds,
          rounds: opts.rounds,
          breakdownSeconds: opts.breakdownSeconds,
          slowMs: opts.slowMs,
          profileDir: opts.isProfiling ? path.dirname(opts.out) : null,
          isWhatIf: opts.isWhatIf,
          log,
        }),
      );
    }
  }
  if (opts.only === null || opts.only === "startup") startup = await benchStartup({ runs: opts.startupRuns, size: opts.size, log });
  if (opts.only === null || opts.only === "observations") {
    for (const dialect of opts.dialects) {
      log(`observations on ${dialect}`);
      observations.push(await runObservationsBench(dialect, { size: opts.size, requests: opts.isQuick ? 20 : 60, log }));
    }
  }
  if (opts.only === null || opts.only === "helpdesk") {
    // Issue 14: 200 creates/s for 60 s (after a 15 s warm-up at that rate) and a queue page over
    // 1,000,000 tickets; BENCH_HELPDESK_RATE, BENCH_HELPDESK_SECONDS, BENCH_HELPDESK_WARM_SECONDS and
    // BENCH_HELPDESK_TICKETS change them (--quick: 5 s over 50,000 tickets).
    const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
    for (const dialect of opts.dialects) {
      log(`help desk on ${dialect}`);
      helpdesk.push(
        await runHelpdeskBench(dialect, {
          tickets: env("BENCH_HELPDESK_TICKETS", opts.isQuick ? 50_000 : 1_000_000),
          rate: env("BENCH_HELPDESK_RATE", 200),
          seconds: env("BENCH_HELPDESK_SECONDS", opts.isQuick ? 5 : 60),
          warmSeconds: env("BENCH_HELPDESK_WARM_SECONDS", opts.isQuick ? 2 : 15),
          pageRequests: opts.isQuick ? 40 : 200,
          log,
        }),
      );
    }
  }

  if (opts.only === null || opts.only === "devices") {
    const base = DEVICES_SIZES[opts.isQuick ? "quick" : "full"];
    // BENCH_DEVICES_PICKUPS / BENCH_DEVICES_IMPORT_ROWS size a run between the two (a smoke run: 200 and 5000).
    const size = {
      pickups: Number(process.env.BENCH_DEVICES_PICKUPS ?? base.pickups),
      stations: base.stations,
      serial: base.serial,
      importRows: Number(process.env.BENCH_DEVICES_IMPORT_ROWS ?? base.importRows),
    };
    for (const dialect of opts.dialects) devices.push(await runDevicesBench(dialect, { ...size, log }));
  }

  if (opts.only === null || opts.only === "chats") {
    // Sizes: CHATS_CONNECTIONS (2000), CHATS_RATE posts/s (20), CHATS_SECONDS (--duration), CHATS_CLIENTS load processes (2).
    chats = await runChatsBench({
      connections: Number(process.env.CHATS_CONNECTIONS ?? (opts.isQuick ? 200 : 2000)),
      rate: Number(process.env.CHATS_RATE ?? 20),
      seconds: opts.durationSeconds,
      clientProcesses: Number(process.env.CHATS_CLIENTS ?? 2),
      redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      log,
    });
    const t = chatsTable(chats);
    console.log(table(t.head, t.rows));
    log(`chats: delivered/s ratio to the bare ws server ${chats.ratioToBare?.toFixed(2) ?? "–"}; p99 < 250 ms: ${chats.meetsP99 ? "yes" : "NO"}; nothing lost or doubled: ${chats.isLossless ? "yes" : "NO"}`);
  }

  const finished = machineInfo(machine.postgres);
  const results = {
    machine,
    loadAverageAtEnd: finished.loadAverage,
    options: { ...opts, out: undefined },
    targets: TARGETS,
    people,
    startup,
    observations,
    helpdesk,
    devices,
    chats,
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(results, null, 2) + "\n");
  const latest = path.join(path.dirname(opts.out), "latest.json");
  if (latest !== opts.out) writeFileSync(latest, JSON.stringify(results, null, 2) + "\n");

  const md: string[] = [
    `Measured ${machine.date} on ${machine.cpuModel} (${machine.cores} cores, ${machine.memory}), Node ${machine.node}, PostgreSQL ${machine.postgres ?? "–"}; load average ${machine.loadAverage.join(" ")} at start, ${finished.loadAverage.join(" ")} at end.`,
  ];
  console.log("");
  if (people.length) {
    const t = peopleTables(people);
    const first = people[0];
    const size = first
      ? `${first.dataset.people.toLocaleString("en-US")} people, ${opts.connections} connections, ${opts.durationSeconds} s per route in ${opts.rounds} alternating slices after ${opts.warmupSeconds} s warm-up`
      : "";
    console.log(`GET /api/v1/people?limit=50 (${size})\n`);
    console.log(table(t.head, t.rows));
    console.log(`\nIn-process, one request at a time (mean ms per request)\n`);
    console.log(table(t.bHead, t.bRows));
    md.push("", `GET /api/v1/people?limit=50 (${size})`, "", markdownTable(t.head, t.rows), "", markdownTable(t.bHead, t.bRows));
    for (const r of people) for (const s of r.scenarios) if (s.skipped) console.log(`  ${r.dialect} / ${s.name}: ${s.skipped}`);
    const whatIfRows = people.flatMap((r) =>
      r.scenarios.flatMap((s) =>
        s.whatIf
          ? [[
              r.dialect,
              s.name,
              fmt(s.whatIf.singleRequestMs, 2),
              fmt(s.whatIf.load?.rps, 0),
              fmt(s.whatIf.load?.latencyMs.p50),
              fmt(s.whatIf.load?.latencyMs.p99),
              s.whatIf.skipped ?? (s.whatIf.meetsP99 ? "yes" : "NO"),
            ]]
          : [],
      ),
    );
    if (whatIfRows.length) {
      const wHead = ["dialect", "scenario", "1 req ms", "req/s", "p50 ms", "p99 ms", "p99<25"];
      console.log(`\nWhat if: the bare route with the proposed statements (school filter via a materialized CTE, totals counted to 1,000+)\n`);
      console.log(table(wHead, whatIfRows));
      md.push("", "What if: the bare route with the proposed statements", "", markdownTable(wHead, whatIfRows));
    }
    for (const r of people) {
      for (const s of r.scenarios) {
        if (!s.profile) continue;
        const { route, bare } = s.profile;
        const owners = [...new Set([...route.byOwner, ...bare.byOwner].map((o) => o.owner))].slice(0, 12);
        const pHead = [`${r.dialect} / ${s.name}: server CPU`, "route ms", "route %", "bare ms", "bare %"];
        const pRows = owners.map((owner) => {
          const a = route.byOwner.find((o) => o.owner === owner);
          const b = bare.byOwner.find((o) => o.owner === owner);
          return [owner, fmt(a?.ms, 0), fmt(a?.pct), fmt(b?.ms, 0), fmt(b?.pct)];
        });
        console.log(`\n${table(pHead, pRows)}`);
        console.log(`  hottest functions (route): ${route.topFunctions.slice(0, 8).map((f) => `${f.fn} ${f.pct}%`).join("; ")}`);
        md.push("", markdownTable(pHead, pRows));
      }
    }
  }
  if (startup) {
    const t = startupTable(startup);
    console.log(`\nTime from spawn to GET /readyz = 200 (median of ${startup.runs})\n`);
    console.log(table(t.head, t.rows));
    md.push("", `Time from spawn to GET /readyz = 200 (median of ${startup.runs})`, "", markdownTable(t.head, t.rows));
  }
  if (observations.length) {
    const t = observationsTable(observations);
    const first = observations[0];
    const title = first
      ? `Observation roll-ups (${first.observations.toLocaleString("en-US")} observations, ${first.levelRows.toLocaleString("en-US")} per-dimension rows; sequential requests; school year from ${first.range.schoolYearFrom}, growth from ${first.range.growthFrom})`
      : "Observation roll-ups";
    console.log(`\n${title}\n`);
    console.log(table(t.head, t.rows));
    for (const r of observations) if (r.generatedMs !== null) console.log(`  ${r.dialect}: generated in ${(r.generatedMs / 1000).toFixed(1)} s`);
    md.push("", title, "", markdownTable(t.head, t.rows));
  }
  if (helpdesk.length) {
    const t = helpdeskTable(helpdesk);
    const title = "Help desk: ticket creation (open-loop, one server) and the queue page (sequential), against the bare route in the same run";
    console.log(`\n${title}\n`);
    console.log(table(t.head, t.rows));
    for (const r of helpdesk) if (r.seededMs !== null) console.log(`  ${r.dialect}: seeded in ${(r.seededMs / 1000).toFixed(1)} s`);
    md.push("", title, "", markdownTable(t.head, t.rows));
  }
  if (devices.length) {
    for (const t of devicesTables(devices)) {
      console.log(`\n${t.title}\n`);
      console.log(table(t.head, t.rows));
      md.push("", t.title, "", markdownTable(t.head, t.rows));
    }
  }
  const mdFile = opts.out.replace(/\.json$/, "") + ".md";
  writeFileSync(mdFile, md.join("\n") + "\n");
  console.log(`\nResults: ${opts.out}\nMarkdown tables: ${mdFile}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
