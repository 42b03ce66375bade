import { buildApp } from "./app.js";
import { loggerOptions } from "./logging.js";
import { openDatabase } from "./db/index.js";
import { migrateWhenReachable, type StartupState } from "./db/startup.js";
import { loadConfig } from "./env.js";
import { ensureSetupToken } from "./modules/accounts/accounts.service.js";
import { MODULES, moduleJobHandlers } from "./modules/index.js";
import { publicAddressWarning } from "./modules/settings/api.js";
import { mergeJobHandlers, startJobWorker } from "./platform/jobs.js";
import { maintenanceJobs, maintenanceSchedule } from "./platform/maintenance.js";

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  let onPoolError: (err: Error) => void = () => undefined;
  const database = openDatabase(config.database, { onPoolError: (err) => onPoolError(err) });
  // Listen before the database answers: probes and the API say "not yet" (503) instead of nothing.
  const startup: StartupState = { isReady: false, message: "waiting for the database: first attempt under way" };
  const { app, ctx, realtime } = await buildApp({ config, database, startup, logger: loggerOptions(config, process.stdout.isTTY === true) });
  const log = app.log;
  onPoolError = (err) => log.error({ err }, "lost a PostgreSQL connection; the next query reconnects");

  let worker: { stop(): Promise<void> } | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => {
      log.error("in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      // Jobs first: one finishing may still publish to realtime, which closes with the app.
      await worker?.stop();
      await app.close();
      await database.close();
      log.info("stopped cleanly");
      process.exit(0);
    } catch (err) {
      log.error({ err }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const baseUrl = config.publicUrl ?? `http://${shownHost}:${config.port}`;

  try {
    const result = await migrateWhenReachable({ db: database.db, log, state: startup });
    const applied = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
    log.info({ db: database.dialect, applied }, applied.length ? "migrations applied" : "database schema is up to date");
  } catch (err) {
    log.fatal({ err }, "could not migrate the database");
    await app.close();
    await database.close();
    process.exit(1);
  }
  if (stopping) return;

  // Mail, the hourly maintenance and event deliveries, from the database: any server may run any job, once.
  worker = startJobWorker({
    ctx,
    realtime,
    handlers: mergeJobHandlers([moduleJobHandlers(MODULES), maintenanceJobs]),
    recurring: maintenanceSchedule,
  });

  const addressWarning = await publicAddressWarning(ctx);
  if (addressWarning) log.warn(addressWarning);

  const setupToken = await ensureSetupToken(ctx);
  if (setupToken) {
    const link = `${baseUrl}/setup?token=${setupToken}`;
    log.info({ link }, "no district yet: open the setup link to create it");
    // Also plainly on stdout, so a newcomer sees it among the log lines (JSON when not a terminal).
    console.log(`\n  Coachwork is running. Finish setting it up here:\n\n    ${link}\n`);
  } else {
    console.log(`\n  Coachwork is running at ${baseUrl}\n`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
