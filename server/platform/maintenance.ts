import { purgeExpired } from "../auth/session-store.js";
import { refreshStatistics } from "../db/index.js";
import { purgeFinishedJobs, type JobHandler, type RecurringJob } from "./jobs.js";

export const HOURLY_MAINTENANCE_JOB = "maintenance.hourly";

/**
 * Once an hour for the whole installation (not once per app server): purge expired sessions and
 * reset tokens, drop finished jobs past their keep, refresh the planner's statistics. Each step
 * runs even when an earlier one failed; the job fails (and retries) if any did.
 */
const hourlyMaintenance: JobHandler = async (_job, { ctx }) => {
  const steps: [string, () => Promise<void>][] = [
    ["purging expired sessions", () => purgeExpired(ctx.db)],
    ["purging finished jobs", () => purgeFinishedJobs(ctx.db)],
    ["refreshing planner statistics", () => refreshStatistics(ctx.db, ctx.dialect)],
  ];
  const failures: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      ctx.log.warn({ err }, `${what} failed`);
      failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failures.length > 0) throw new Error(failures.join("; "));
};

export const maintenanceJobs: Readonly<Record<string, JobHandler>> = { [HOURLY_MAINTENANCE_JOB]: hourlyMaintenance };
export const maintenanceSchedule: readonly RecurringJob[] = [{ kind: HOURLY_MAINTENANCE_JOB, everyMs: 3_600_000 }];
