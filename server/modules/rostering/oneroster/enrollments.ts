import { bulkId } from "../bulk-ids.js";
import { hash53 } from "../issues.js";
import { mapEnrollmentRole, parseBool, userRole } from "./spec.js";
import { enrollmentPrintText, iterateEnrollments } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import { readDateCell, requireCells, rowStatus, warnSkippedForParents } from "./row-checks.js";
import type { PlanState } from "./state.js";

/** enrollments.csv, the largest file: compared by a fingerprint of each stored enrolment, not the rows themselves. */
export async function planEnrollments(plan: PlanState): Promise<void> {
  const display = "enrollments.csv";
  const mode = plan.mode("enrollments.csv");
  const counts = plan.entities.enrollments;
  if (mode === "absent") return;
  // sourcedId → fingerprint × 2 + isActive: enough to tell unchanged from changed, in ~100 bytes a row.
  const stored = new Map<string, number>();
  for await (const page of iterateEnrollments(plan.db, plan.districtId)) {
    for (const e of page) {
      const isActive = e.status === "active";
      if (isActive) plan.activeEnrollments++;
      stored.set(e.source_id, printHash(e.print, isActive) * 2 + (isActive ? 1 : 0));
    }
  }
  // Seen rows are marked in `stored` itself (SEEN); only rows new to the district need a set of
  // their own. A re-import so holds one entry per enrolment, not two.
  const SEEN = -1;
  const seenNew = new Set<string>();
  // (class, person) pairs already enrolled by an earlier row, with that row's line.
  const pairs = new LineByPrint();
  let skippedForParents = 0;
  const { required, optional } = plan.columns("enrollments.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = v("sourcedId");
    if (sid === "") {
      plan.issues.error(display, line, "sourcedId", "sourcedId is empty; it is required");
      counts.rejected++;
      return;
    }
    const prior = stored.get(sid);
    if (prior === SEEN || (prior === undefined && seenNew.has(sid))) {
      plan.issues.error(display, line, "sourcedId", `sourcedId ${sid} appears more than once`);
      counts.rejected++;
      return;
    }
    if (prior === undefined) seenNew.add(sid);
    else stored.set(sid, SEEN);
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) {
      counts.rejected++;
      return;
    }
    if (status === "deleted") {
      if (prior !== undefined && prior % 2 === 1) {
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
    const user = plan.users.get(userSid);
    if (!user) {
      plan.issues.error(display, line, "userSourcedId", `user ${userSid} is not in users.csv`);
      counts.rejected++;
      return;
    }
    if (plan.resolveOrg(schoolSid) === null) {
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
    const print = printHash(enrollmentPrintText({ classId: cls.id, personId: user.id, schoolId: cls.schoolId, role: ours, isPrimary, begin, end }), true);
    if (prior !== undefined && prior === print * 2 + 1) {
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
    });
    if (prior !== undefined) counts.updated++;
    else counts.created++;
  });
  if (!ok) return;
  warnSkippedForParents(plan, display, skippedForParents, ["enrollment was", "enrollments were"], "their class or user was rejected or deleted");
  if (mode === "bulk") {
    for (const [sid, prior] of stored) {
      if (prior !== SEEN && prior % 2 === 1) {
        plan.emit({ op: "deactivateEnrollment", sourceId: sid });
        counts.deactivated++;
      }
    }
  }
}

/** A stored or planned enrolment's fingerprint; under 2^51 so that print * 2 + 1 stays a safe integer. */
function printHash(text: string, isActive: boolean): number {
  return hash53(text, isActive ? "active" : "inactive") % 2 ** 51;
}

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
