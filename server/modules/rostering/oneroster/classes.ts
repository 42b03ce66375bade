import { bulkId } from "../bulk-ids.js";
import { CLASS_TYPES, oneOf, splitList } from "./spec.js";
import { type ClassRow, loadClasses, loadClassTerms } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import type { OpOf } from "../spool-ops.js";
import { checkLength, deactivateDeleted, deactivateUnseen, firstSourcedId, isStored, requireCells, rowStatus, warnSkippedForParents, type StoredColumns } from "./row-checks.js";
import { joinList, orNull, type PlanState } from "./state.js";

/** classes.csv: each class in its course and school, and its terms. */
const STORED: StoredColumns<OpOf<"class">, ClassRow> = [
  ["schoolId", "school_id"],
  ["courseId", "course_id"],
  ["title", "title"],
  ["classCode", "class_code"],
  ["classType", "class_type"],
  ["location", "location"],
  ["grades", "grades"],
  ["subjects", "subjects"],
  ["periods", "periods"],
];

export async function planClasses(plan: PlanState): Promise<void> {
  const display = "classes.csv";
  const mode = plan.mode("classes.csv");
  const counts = plan.entities.classes;
  const existing = await loadClasses(plan.db, plan.districtId);
  const bySource = new Map<string, ClassRow>(existing.map((c) => [c.source_id, c]));
  const termsOf = new Map<string, string[]>();
  for (const t of await loadClassTerms(plan.db, plan.districtId)) {
    const list = termsOf.get(t.class_id) ?? [];
    list.push(t.session_id);
    termsOf.set(t.class_id, list);
  }
  if (mode !== "bulk") for (const c of existing) plan.classes.set(c.source_id, { id: c.id, schoolId: c.school_id, state: "ok" });
  if (mode === "absent") return;
  const seen = new Map<string, number>();
  let skippedForParents = 0;
  // courses.csv declared absent, and a class names a course the district does not hold yet: the
  // class is kept under a stand-in course of that sourcedId (titled after the class), which a
  // later courses.csv fills in. Refusing would throw away every class of a set that ships no courses.
  const isCoursesAbsent = plan.mode("courses.csv") === "absent";
  const standIns: { sid: string; line: number }[] = [];
  /** Each class's new terms, emitted after all the classes (see below). */
  const termOps: OpOf<"classTerms">[] = [];
  const { required, optional } = plan.columns("classes.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, counts);
    if (sid === null) return;
    const prior = bySource.get(sid);
    const reject = () => {
      counts.rejected++;
      plan.classes.set(sid, { id: prior?.id ?? "", schoolId: prior?.school_id ?? "", state: "rejected" });
    };
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) return reject();
    if (status === "deleted") {
      deactivateDeleted(plan, "classes", prior, counts);
      plan.classes.set(sid, { id: prior?.id ?? "", schoolId: prior?.school_id ?? "", state: "deleted" });
      return;
    }
    if (!requireCells(plan, display, v, line, ["title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"])) return reject();
    if (!checkLength(plan, display, v, line, "title", 200)) return reject();
    const classType = oneOf(CLASS_TYPES, v("classType"));
    if (classType === null) {
      plan.issues.error(display, line, "classType", `classType "${v("classType")}" is not homeroom or scheduled`);
      return reject();
    }
    const scope = plan.resolveOrg(v("schoolSourcedId"));
    let course = plan.courses.get(v("courseSourcedId"));
    if (!course && isCoursesAbsent && scope?.kind === "school") {
      course = { id: bulkId(), state: "ok" };
      plan.courses.set(v("courseSourcedId"), course);
      standIns.push({ sid: v("courseSourcedId"), line });
      plan.emit({
        op: "course",
        id: course.id,
        sourceId: v("courseSourcedId"),
        title: v("title"),
        courseCode: null,
        grades: joinList(v("grades")),
        subjects: joinList(v("subjects")),
        schoolYearId: null,
        schoolId: scope.schoolId,
      });
      plan.entities.courses.created++;
    }
    if (!course) {
      plan.issues.error(display, line, "courseSourcedId", `course ${v("courseSourcedId")} is not in courses.csv`);
      return reject();
    }
    if (course.state !== "ok") {
      // Its course was rejected or deleted: the class follows it, counted but not reported again.
      skippedForParents++;
      counts.skipped++;
      plan.classes.set(sid, { id: prior?.id ?? "", schoolId: "", state: "skipped" });
      return;
    }
    if (scope === null) {
      plan.issues.error(display, line, "schoolSourcedId", `org ${v("schoolSourcedId")} is not in orgs.csv`);
      return reject();
    }
    if (scope.kind !== "school") {
      const org = plan.orgs.get(v("schoolSourcedId"));
      if (org && org.state !== "ok") {
        skippedForParents++;
        counts.skipped++;
        plan.classes.set(sid, { id: prior?.id ?? "", schoolId: "", state: "skipped" });
        return;
      }
      plan.issues.error(display, line, "schoolSourcedId", `org ${v("schoolSourcedId")} is not a school; a class belongs to a school`);
      return reject();
    }
    const termIds: string[] = [];
    for (const termSid of splitList(v("termSourcedIds"))) {
      const term = plan.sessions.get(termSid);
      if (!term) {
        plan.issues.error(display, line, "termSourcedIds", `academic session ${termSid} is not in academicSessions.csv`);
        return reject();
      }
      if (term.state === "ok") termIds.push(term.id);
    }
    termIds.sort();
    const id = prior?.id ?? bulkId();
    plan.classes.set(sid, { id, schoolId: scope.schoolId, state: "ok" });
    const op: OpOf<"class"> = {
      op: "class",
      id,
      sourceId: sid,
      schoolId: scope.schoolId,
      courseId: course.id,
      title: v("title"),
      classCode: orNull(v("classCode")),
      classType,
      location: orNull(v("location")),
      grades: joinList(v("grades")),
      subjects: joinList(v("subjects")),
      periods: joinList(v("periods")),
    };
    const priorTerms = prior ? (termsOf.get(prior.id) ?? []).sort().join(",") : null;
    const terms = termIds.join(",");
    // A class counts once: updated when its row or only its terms changed.
    const same = isStored(prior, op, STORED);
    if (!same) {
      plan.emit(op);
      if (prior) counts.updated++;
      else counts.created++;
    }
    if (priorTerms !== terms) {
      termOps.push({ op: "classTerms", classId: id, sessionIds: termIds });
      if (same) counts.updated++;
    }
    if (same && priorTerms === terms) counts.unchanged++;
  });
  // After every class: one class op then one terms op per class would make 8,000 runs of one row
  // each, and the bulk apply writes each run in its own statements (on PostgreSQL, a COPY per run).
  for (const termOp of termOps) plan.emit(termOp);
  if (!ok) return;
  const first = standIns[0];
  if (first) {
    const more = standIns.length > 1 ? ` (and ${standIns.length - 1} more)` : "";
    plan.issues.warning(
      display,
      first.line,
      "courseSourcedId",
      `manifest.csv declares courses.csv absent, but classes name courses the district does not hold: course ${first.sid}${more} is created with the title of its first class, until a courses.csv gives its own`,
    );
  }
  warnSkippedForParents(plan, display, skippedForParents, ["class was", "classes were"], "their course or school was rejected or deleted");
  if (mode === "bulk") deactivateUnseen(plan, existing, seen, "classes", counts);
}
