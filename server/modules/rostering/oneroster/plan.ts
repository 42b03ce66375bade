import { PostgresAdapter, type Kysely } from "kysely";
import type { DB } from "../../../db/schema.js";
import type { RosterSource } from "../roster-source.js";
import { planClasses } from "./classes.js";
import { planCourses } from "./courses.js";
import { loadStoredEnrollments, planEnrollments } from "./enrollments.js";
import { planGrants } from "./grants.js";
import { guardMassDeactivation } from "./mass-deactivation.js";
import { checkFiles, readManifest } from "./manifest.js";
import { planOrgs } from "./orgs.js";
import { readRoles } from "./roles.js";
import { planSessions } from "./sessions.js";
import type { OneRosterVersion } from "./spec.js";
import { PlanState, type PlanOptions, type PlanResult } from "./state.js";
import { planUsers } from "./users.js";

// Plans a OneRoster import: reads every file once, in dependency order (orgs, sessions, courses,
// classes, roles, users, enrolments), checks each row and each reference, compares it with what
// the district already has (by sourcedId) and writes the changes to the spool. Nothing touches the
// database but reads; applying the spool is the service's job, in one transaction. Each file has
// its planner here (orgs.ts, sessions.ts…), all over one PlanState (state.ts).

/** Plans a OneRoster import of `source` into the spool; the result says what would change and what is wrong. */
export async function planOneRoster(db: Kysely<DB>, districtId: string, source: RosterSource, opts: PlanOptions): Promise<PlanResult> {
  const plan = new PlanState(db, districtId, source, opts);
  for (const f of plan.source.files.values()) plan.bytesTotal += f.size;
  if (!(await readManifest(plan))) return plan.result();
  const version = plan.version;
  if (version === null) return plan.result();
  checkFiles(plan, version);
  if (plan.issues.blocking > 0) return plan.result();
  // On PostgreSQL the district's enrolments load while the files before enrollments.csv are read:
  // the server reads and sends a million rows in a process of its own, so that wait overlaps the
  // planner's work instead of following it. (SQLite's driver answers on this thread: nothing to overlap.)
  const prefetch = new AbortController();
  if (plan.db.getExecutor().adapter instanceof PostgresAdapter && plan.mode("enrollments.csv") !== "absent") {
    plan.storedEnrollments = loadStoredEnrollments(plan.db, plan.districtId, prefetch.signal);
    // Its failure is the planner's to throw, when planEnrollments awaits it; unawaited, it must not end the process.
    plan.storedEnrollments.catch(() => undefined);
  }
  try {
    await planFiles(plan, version);
  } finally {
    // A plan that stops early (a blocked file, a failure) leaves no query running behind it.
    prefetch.abort();
    await plan.storedEnrollments?.catch(() => undefined);
  }
  return plan.result();
}

async function planFiles(plan: PlanState, version: OneRosterVersion): Promise<void> {
  await planOrgs(plan);
  await planSessions(plan);
  await unlessBlocked(plan, "courses.csv", ["orgs.csv", "academicSessions.csv"], () => planCourses(plan));
  await unlessBlocked(plan, "classes.csv", ["orgs.csv", "academicSessions.csv", "courses.csv"], () => planClasses(plan));
  if (version === "1.2") await unlessBlocked(plan, "roles.csv", ["orgs.csv"], () => readRoles(plan));
  await unlessBlocked(plan, "users.csv", ["orgs.csv", "roles.csv"], async () => {
    await planUsers(plan, version);
    await planGrants(plan);
  });
  // What only users and grants needed goes before the largest file: the less that stays live,
  // the sooner V8 collects the garbage that reading a million rows makes, and the lower the peak.
  plan.peopleBySource.clear();
  plan.peopleByEmail.clear();
  plan.desiredGrants.clear();
  plan.partialGrants.clear();
  plan.grants = [];
  plan.rolesByUser.clear();
  plan.roleFirstLine.clear();
  await unlessBlocked(plan, "enrollments.csv", ["orgs.csv", "classes.csv", "users.csv"], () => planEnrollments(plan));
  guardMassDeactivation(plan);
  plan.progress(true);
}

/**
 * Plans a file only when the files it refers to could be read. Otherwise every one of its rows
 * would be reported as naming something unknown (a million "user … is not in users.csv" for one
 * wrong delimiter), so it gets one notice instead, and counts as unread for the files after it.
 */
async function unlessBlocked(plan: PlanState, display: string, needs: readonly string[], planFile: () => Promise<void>): Promise<void> {
  const blocked = needs.find((n) => plan.issues.blockedFiles.has(n.toLowerCase()) || plan.unread.has(n.toLowerCase()));
  if (blocked === undefined) return planFile();
  plan.unread.add(display.toLowerCase());
  if (plan.source.files.has(display.toLowerCase())) {
    plan.issues.warning(display, null, null, `not checked, because ${blocked} could not be read; fix that file first`);
  }
}
