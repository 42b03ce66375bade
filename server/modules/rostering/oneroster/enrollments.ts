import { bulkId } from "../bulk-ids.js";
import { hash53 } from "../issues.js";
import { mapEnrollmentRole, parseBool, userRole } from "./spec.js";
import { enrollmentPrint, iterateEnrollments } from "../rostering.loads.js";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.js";
import { readCsvFile } from "./read-csv.js";
import { readDateCell, requireCells, rowStatus, warnSkippedForParents } from "./row-checks.js";
import type { PlanState } from "./state.js";

/** enrollments.csv, the largest file: compared by a fingerprint of each stored enrolment, not the rows themselves. */
export async function planEnrollments(plan: PlanState): Promise<void> {
  const display = "enrollments.csv";
  const mode = plan.mode("enrollments.csv");
  const counts = plan.entities.enrollments;
  if (mode === "absent") return;
  const { bySource: stored, prints, flags, active } = await (plan.storedEnrollments ?? loadStoredEnrollments(plan.db, plan.districtId));
  plan.activeEnrollments += active;
  // Rows new to the district, to tell a sourcedId given twice.
  const seenNew = new Set<string>();
  // (class, person) pairs already enrolled by an earlier row, with that row's line.
  const pairs = new LineByPrint();
  let skippedForParents = 0;
  // Consecutive rows mostly name the same user and school (an export lists a student's classes
  // together): the last lookup of each is kept.
  let lastUserSid: string | null = null;
  let lastUser: ReturnType<typeof plan.users.get>;
  let lastSchoolSid: string | null = null;
  let isSchoolKnown = false;
  const { required, optional } = plan.columns("enrollments.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = v("sourcedId");
    if (sid === "") {
      plan.issues.error(display, line, "sourcedId", "sourcedId is empty; it is required");
      counts.rejected++;
      return;
    }
    const at = stored.get(sid);
    if (at === undefined ? seenNew.has(sid) : ((flags[at] ?? 0) & SEEN) !== 0) {
      plan.issues.error(display, line, "sourcedId", `sourcedId ${sid} appears more than once`);
      counts.rejected++;
      return;
    }
    if (at === undefined) seenNew.add(sid);
    else flags[at] = (flags[at] ?? 0) | SEEN;
    const isStoredActive = at !== undefined && ((flags[at] ?? 0) & ACTIVE) !== 0;
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) {
      counts.rejected++;
      return;
    }
    if (status === "deleted") {
      if (isStoredActive) {
        plan.emit({ op: "deactivateEnrollment", sourceId: sid });
        counts.deactivated++;
      } else counts.skipped++;
      return;
    }
    // Each cell read once: this runs a million times.
    const classSid = v("classSourcedId");
    const schoolSid = v("schoolSourcedId");
    const userSid = v("userSourcedId");
    const roleCell = v("role");
    if (classSid === "" || schoolSid === "" || userSid === "" || roleCell === "") {
      requireCells(plan, display, v, line, ["classSourcedId", "schoolSourcedId", "userSourcedId", "role"]);
      counts.rejected++;
      return;
    }
    const role = userRole(roleCell);
    if (role === null) {
      plan.issues.error(display, line, "role", `role "${roleCell}" is not a OneRoster role`);
      counts.rejected++;
      return;
    }
    const ours = mapEnrollmentRole(role);
    if (ours === null) {
      plan.skippedRoles[`enrollment:${role}`] = (plan.skippedRoles[`enrollment:${role}`] ?? 0) + 1;
      counts.skipped++;
      return;
    }
    const cls = plan.classes.get(classSid);
    if (!cls) {
      plan.issues.error(display, line, "classSourcedId", `class ${classSid} is not in classes.csv`);
      counts.rejected++;
      return;
    }
    if (userSid !== lastUserSid) {
      lastUserSid = userSid;
      lastUser = plan.users.get(userSid);
    }
    const user = lastUser;
    if (!user) {
      plan.issues.error(display, line, "userSourcedId", `user ${userSid} is not in users.csv`);
      counts.rejected++;
      return;
    }
    if (schoolSid !== lastSchoolSid) {
      lastSchoolSid = schoolSid;
      isSchoolKnown = plan.resolveOrg(schoolSid) !== null;
    }
    if (!isSchoolKnown) {
      plan.issues.error(display, line, "schoolSourcedId", `org ${schoolSid} is not in orgs.csv`);
      counts.rejected++;
      return;
    }
    if (cls.state !== "ok" || user.state !== "ok" || user.id === null) {
      if (user.state !== "skipped") skippedForParents++;
      counts.skipped++;
      return;
    }
    const primaryCell = v("primary");
    const primary = primaryCell === "" ? false : parseBool(primaryCell);
    if (primary === undefined) {
      plan.issues.error(display, line, "primary", `primary "${primaryCell}" is not true or false (or yes/no, 1/0)`);
      counts.rejected++;
      return;
    }
    const beginCell = v("beginDate");
    const endCell = v("endDate");
    const begin = beginCell === "" ? null : readDateCell(plan, display, line, "beginDate", beginCell);
    const end = endCell === "" ? null : readDateCell(plan, display, line, "endDate", endCell);
    if ((beginCell !== "" && begin === null) || (endCell !== "" && end === null)) {
      counts.rejected++;
      return;
    }
    if (ours === "teacher" && user.isStudent === true) {
      // Imported as written (the SIS may know better), but a student who can see a class's roster
      // and grades is worth a look.
      plan.issues.warning(display, line, "role", `user ${userSid} is a student in users.csv but is enrolled as ${role} in class ${classSid}`);
    }
    const firstLine = pairs.firstLine(hash53(cls.id, user.id), line);
    if (firstLine !== line) {
      plan.issues.warning(display, line, "userSourcedId", `user ${userSid} is enrolled in class ${classSid} on line ${firstLine} too; both rows are imported`);
    }
    const isPrimary = primary ? 1 : 0;
    const print = enrollmentPrint({ classId: cls.id, personId: user.id, schoolId: cls.schoolId, role: ours, isPrimary, begin, end });
    if (at !== undefined && isStoredActive && prints[at] === print) {
      counts.unchanged++;
      return;
    }
    plan.emit({
      op: "enrollment",
      id: bulkId(),
      sourceId: sid,
      classId: cls.id,
      personId: user.id,
      schoolId: cls.schoolId,
      role: ours,
      isPrimary,
      beginDate: begin,
      endDate: end,
      print,
    });
    if (at !== undefined) counts.updated++;
    else counts.created++;
  });
  if (!ok) return;
  warnSkippedForParents(plan, display, skippedForParents, ["enrollment was", "enrollments were"], "their class or user was rejected or deleted");
  if (mode === "bulk") {
    for (const [sid, at] of stored) {
      if ((flags[at] ?? 0) === ACTIVE) {
        plan.emit({ op: "deactivateEnrollment", sourceId: sid });
        counts.deactivated++;
      }
    }
  }
}

/**
 * What the district holds, by sourcedId: the row's place in two typed arrays, its fingerprint and
 * its flags (active; seen in the file, set by the planner). No object and no boxed number per
 * stored row: a million of them would only give the garbage collector work.
 */
export type StoredEnrollments = { bySource: Map<string, number>; prints: Float64Array; flags: Uint8Array; active: number };

/** Loads the district's enrolments for planEnrollments; stops between pages once `signal` is aborted. */
export async function loadStoredEnrollments(db: Kysely<DB>, districtId: string, signal?: AbortSignal): Promise<StoredEnrollments> {
  const bySource = new Map<string, number>();
  let prints = new Float64Array(1024);
  let flags = new Uint8Array(1024);
  let active = 0;
  for await (const page of iterateEnrollments(db, districtId)) {
    for (let row = 0; row < page.sourceIds.length; row++) {
      const at = bySource.size;
      if (at === prints.length) {
        const morePrints = new Float64Array(at * 2);
        morePrints.set(prints);
        prints = morePrints;
        const moreFlags = new Uint8Array(at * 2);
        moreFlags.set(flags);
        flags = moreFlags;
      }
      const isActive = page.isActive[row] === 1;
      if (isActive) active++;
      prints[at] = page.prints[row] ?? 0;
      flags[at] = isActive ? ACTIVE : 0;
      bySource.set(page.sourceIds[row] ?? "", at);
    }
    if (signal?.aborted) break;
  }
  return { bySource, prints, flags, active };
}

/** Flags of a stored enrolment: active in the district; seen in the file. */
const ACTIVE = 1;
const SEEN = 2;

/**
 * The line each fingerprint was first seen on: an open-addressing table in two typed arrays, about
 * 24 bytes a row at a million rows, where a Map of boxed 53-bit keys takes twice that and more garbage.
 */
export class LineByPrint {
  private keys = new Float64Array(1024);
  private lines = new Int32Array(1024);
  private size = 0;

  /** The line `print` was first seen on; `line` (and now remembered) when this is the first time. */
  firstLine(print: number, line: number): number {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const key = print + 1; // 0 marks an empty slot
    const mask = this.keys.length - 1;
    for (let i = print % this.keys.length; ; i = (i + 1) & mask) {
      const at = this.keys[i];
      if (at === key) return this.lines[i] ?? line;
      if (at === 0) {
        this.keys[i] = key;
        this.lines[i] = line;
        this.size++;
        return line;
      }
    }
  }

  private grow(): void {
    const { keys, lines } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.lines = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? 0;
      if (key !== 0) this.firstLine(key - 1, lines[i] ?? 0);
    }
  }
}
