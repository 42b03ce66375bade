import { bulkId } from "../bulk-ids.js";
import { type CourseRow, loadCourses } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import type { OpOf } from "../spool-ops.js";
import { checkLength, deactivateDeleted, deactivateUnseen, firstSourcedId, requireCells, rowStatus, upsertUnlessStored, warnSkippedForParents, type StoredColumns } from "./row-checks.js";
import { joinList, orNull, type PlanState } from "./state.js";

const STORED: StoredColumns<OpOf<"course">, CourseRow> = [
  ["title", "title"],
  ["courseCode", "course_code"],
  ["grades", "grades"],
  ["subjects", "subjects"],
  ["schoolYearId", "school_year_id"],
  ["schoolId", "school_id"],
];

/** courses.csv: each course under its org and school year. */
export async function planCourses(plan: PlanState): Promise<void> {
  const display = "courses.csv";
  const mode = plan.mode("courses.csv");
  const counts = plan.entities.courses;
  const existing = await loadCourses(plan.db, plan.districtId);
  const bySource = new Map<string, CourseRow>(existing.map((c) => [c.source_id, c]));
  if (mode !== "bulk") for (const c of existing) plan.courses.set(c.source_id, { id: c.id, state: "ok" });
  if (mode === "absent") return;
  const seen = new Map<string, number>();
  let skippedForOrgs = 0;
  const { required, optional } = plan.columns("courses.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, counts);
    if (sid === null) return;
    const prior = bySource.get(sid);
    const reject = () => {
      counts.rejected++;
      plan.courses.set(sid, { id: prior?.id ?? "", state: "rejected" });
    };
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) return reject();
    if (status === "deleted") {
      deactivateDeleted(plan, "courses", prior, counts);
      plan.courses.set(sid, { id: prior?.id ?? "", state: "deleted" });
      return;
    }
    if (!requireCells(plan, display, v, line, ["title", "orgSourcedId"])) return reject();
    if (!checkLength(plan, display, v, line, "title", 200)) return reject();
    const scope = plan.resolveOrg(v("orgSourcedId"));
    if (scope === null) {
      plan.issues.error(display, line, "orgSourcedId", `org ${v("orgSourcedId")} is not in orgs.csv`);
      return reject();
    }
    if (scope.kind === "gone") {
      // Its org was rejected or deleted: the course follows it, counted but not reported again.
      skippedForOrgs++;
      counts.skipped++;
      plan.courses.set(sid, { id: prior?.id ?? "", state: "skipped" });
      return;
    }
    let yearId: string | null = null;
    const yearSid = v("schoolYearSourcedId");
    if (yearSid !== "") {
      const session = plan.sessions.get(yearSid);
      if (!session) {
        plan.issues.error(display, line, "schoolYearSourcedId", `academic session ${yearSid} is not in academicSessions.csv`);
        return reject();
      }
      yearId = session.state === "ok" ? session.id : null;
    }
    const id = prior?.id ?? bulkId();
    plan.courses.set(sid, { id, state: "ok" });
    upsertUnlessStored(
      plan,
      prior,
      {
        op: "course",
        id,
        sourceId: sid,
        title: v("title"),
        courseCode: orNull(v("courseCode")),
        grades: joinList(v("grades")),
        subjects: joinList(v("subjects")),
        schoolYearId: yearId,
        schoolId: scope.kind === "school" ? scope.schoolId : null,
      },
      STORED,
      counts,
    );
  });
  if (!ok) return;
  warnSkippedForParents(plan, display, skippedForOrgs, ["course was", "courses were"], "their org was rejected or deleted");
  if (mode === "bulk") deactivateUnseen(plan, existing, seen, "courses", counts);
}
