import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRosterImportReport } from "../../shared/schemas/rostering.js";
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase } from "../../tests/helpers/db.js";
import { setUpDistrict, unique } from "../../tests/helpers/factories.js";
import { largeSet, setFiles, smallSet, uploadImport, zipFiles } from "../../tests/helpers/oneroster.js";
import { startServerProcess, type ServerProcess } from "../../tests/helpers/server-process.js";
import { startTcpProxy, type TcpProxy } from "../../tests/helpers/tcp-proxy.js";
import { waitFor } from "../../tests/helpers/wait.js";

// The app runs as its own process (a crash must show as a crash) against PostgreSQL through a proxy
// the test controls: it drops the connections, hangs them, and brings the database back.

const admin = new URL(TEST_PG_ADMIN_URL);
const PG = { host: admin.hostname, port: Number(admin.port || 5432) };
// An unknown API token: 401 when the database answers (it had to look the token up), anything else when not.
const DB_PROBE = { headers: { authorization: "Bearer cwk_not-a-real-token" } };
const STATEMENT_TIMEOUT_MS = 1_000;

type ErrorBody = { error: { code: string; message: string } };

function appEnv(testDb: TestDatabase, proxy: TcpProxy): Record<string, string> {
  const url = new URL(testDb.database.kind === "postgres" ? testDb.database.url : "");
  url.host = `127.0.0.1:${proxy.port}`;
  return {
    DATABASE_URL: url.toString(),
    DATABASE_POOL_SIZE: "3",
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    COACHWORK_DATA_DIR: testDb.dataDir,
    COACHWORK_SECRET: "test-secret-test-secret-test-secret-0000",
  };
}

/** Ends every server connection to the app's database from the PostgreSQL side, as an administrator (or a failover) would. */
async function terminateBackends(testDb: TestDatabase): Promise<number> {
  const name = testDb.database.kind === "postgres" ? new URL(testDb.database.url).pathname.slice(1) : "";
  const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  try {
    const res = await c.query<{ ok: boolean }>("select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
    return res.rows.filter((r) => r.ok).length;
  } finally {
    await c.end();
  }
}

async function probe(server: ServerProcess, timeoutMs = 20_000): Promise<Response> {
  return fetch(`${server.baseUrl()}/api/v1/me`, { ...DB_PROBE, signal: AbortSignal.timeout(timeoutMs) });
}

async function waitUntilAnswering(server: ServerProcess, timeoutMs: number): Promise<void> {
  await waitFor(
    "the API to answer from the database again",
    async () => (await probe(server, 2_000).catch(() => null))?.status === 401,
    timeoutMs,
  );
  await waitFor("/readyz to say ready", async () => (await fetch(`${server.baseUrl()}/readyz`)).status === 200, timeoutMs);
}

describe("PostgreSQL faults, through a proxy the test controls", () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase("postgres");
    proxy = await startTcpProxy(PG);
    server = startServerProcess(appEnv(testDb, proxy));
    await server.waitForLog(/^Server listening at/, 40_000);
    await waitUntilAnswering(server, 20_000);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    await proxy.close();
    await testDb.drop();
  });

  it("keeps running when the database kills its connections in the middle of a request", async () => {
    proxy.hang();
    const swallowedBefore = proxy.swallowed();
    const pending = probe(server);
    await waitFor("the request's query to be stuck on its connection", () => proxy.swallowed() > swallowedBefore);
    expect(await terminateBackends(testDb)).toBeGreaterThan(0);

    const res = await pending;
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe("database_unavailable");
    expect(server.isAlive()).toBe(true);
    expect((await fetch(`${server.baseUrl()}/healthz`)).status).toBe(200);

    proxy.restore();
    await waitUntilAnswering(server, 15_000);
    expect(server.isAlive()).toBe(true);
  });

  it("keeps running when the database kills its connections during a roster import, and the next import runs", async () => {
    const link = (await server.waitForLog(/open the setup link/)).link;
    const setupToken = new URL(String(link)).searchParams.get("token") ?? "";
    const { admin } = await setUpDistrict({ baseUrl: server.baseUrl(), setupToken });
    const started = await uploadImport<TRosterImportReport>(admin, await zipFiles(setFiles(largeSet(unique("kill"), 20_000))), { wait: "false" });
    expect(started.status).toBe(202);
    const id = started.body.id;
    // Inside its transaction: some batches written, more to come.
    await waitFor(
      "the import to be half-way through writing",
      async () => {
        const { progress } = (await admin.get<TRosterImportReport>(`/api/v1/rostering/imports/${id}`)).body;
        return progress?.phase === "applying" && progress.rowsRead > 0;
      },
      60_000,
    );
    expect(await terminateBackends(testDb)).toBeGreaterThan(0);

    const failed = await waitFor("the import to end", async () => {
      const res = await admin.get<TRosterImportReport>(`/api/v1/rostering/imports/${id}`).catch(() => null);
      return res?.status === 200 && res.body.status !== "running" ? res.body : undefined;
    }, 30_000);
    // Failed and said so: not left "running" (which would hold the import lock for two hours)
    // because recording the failure also met a connection the server had closed.
    expect(failed.status).toBe("failed");
    expect(failed.failure).toMatch(/nothing was changed/);
    expect(server.isAlive()).toBe(true);

    // Nothing is left holding the import lock: the next import applies.
    const next = await uploadImport<TRosterImportReport>(admin, await zipFiles(setFiles(smallSet(unique("after")))));
    expect(next.status).toBe(200);
    expect(next.body.status).toBe("applied");
  }, 120_000);

  it("frees connections that hung, so the pool recovers once the database answers again", async () => {
    // Fill the pool (3) with open connections, then make every one of them hang.
    const burst = () => Promise.all(Array.from({ length: 9 }, () => probe(server, 10_000).then((r) => r.status, () => 0)));
    expect(await burst()).toEqual(Array(9).fill(401));
    proxy.hang();
    const swallowedBefore = proxy.swallowed();
    const stuck = burst();
    await waitFor("every pooled connection to be stuck", () => proxy.swallowed() >= swallowedBefore + 3);
    proxy.restore();

    const started = Date.now();
    await waitUntilAnswering(server, 15_000);
    const recoveredMs = Date.now() - started;
    // Each stuck request got an answer (not a hang): 503 while stuck, or 401 once the database was back.
    for (const status of await stuck) expect([401, 503]).toContain(status);
    expect(recoveredMs).toBeLessThan(12_000);
    // No hung connection went back into the pool: a burst wider than the pool all answers.
    expect(await burst()).toEqual(Array(9).fill(401));
    expect(server.isAlive()).toBe(true);
  });

  it("answers 503 database_unavailable with Retry-After while the database is unreachable, and recovers by itself", async () => {
    proxy.drop();
    const res = await probe(server);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("database_unavailable");
    expect(body.error.message).not.toMatch(/ECONNREFUSED|terminated|select/i);

    const ready = await fetch(`${server.baseUrl()}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "unavailable", checks: { database: { ok: false } } });
    // Liveness stays green: restarting the process would not bring the database back.
    expect((await fetch(`${server.baseUrl()}/healthz`)).status).toBe(200);

    proxy.restore();
    await waitUntilAnswering(server, 15_000);
  });
});

describe("PostgreSQL down when the server starts", () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase("postgres");
    proxy = await startTcpProxy(PG);
  });
  afterAll(async () => {
    await server.stop();
    await proxy.close();
    await testDb.drop();
  });

  it("starts anyway, says it is waiting, answers 503 meanwhile and becomes ready when the database comes up", async () => {
    proxy.drop();
    server = startServerProcess(appEnv(testDb, proxy));
    await server.waitForLog(/waiting for the database/, 40_000);
    await server.waitForLog(/^Server listening at/, 20_000);

    expect((await fetch(`${server.baseUrl()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.baseUrl()}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "unavailable", checks: { database: { ok: false, message: expect.stringMatching(/waiting for the database/) } } });
    const res = await probe(server);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await res.json()) as ErrorBody).error.code).toBe("database_unavailable");

    proxy.restore();
    await server.waitForLog(/migrations applied|schema is up to date/, 30_000);
    await waitUntilAnswering(server, 15_000);
    expect(server.isAlive()).toBe(true);
  }, 90_000);
});
