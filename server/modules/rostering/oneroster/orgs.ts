import { NameLimits } from "../../../../shared/limits.js";
import { bulkId } from "../bulk-ids.js";
import { oneOf, ORG_TYPES } from "./spec.js";
import { loadRosterOrgs, loadSchools, type SchoolRef } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import { checkLength, deactivateDeleted, deactivateUnseen, findCycles, firstSourcedId, requireCells, rowStatus } from "./row-checks.js";
import { orNull, type PlanState } from "./state.js";

const SCHOOL_LEVEL_WORDS: [RegExp, "elementary" | "middle" | "high"][] = [
  [/\b(elementary|primary|element)\b|\bES$/i, "elementary"],
  [/\b(middle|intermediate|junior high)\b|\bMS$/i, "middle"],
  [/\bhigh\b|\bHS$/i, "high"],
];

function inferLevel(name: string): "elementary" | "middle" | "high" | "other" {
  for (const [re, level] of SCHOOL_LEVEL_WORDS) if (re.test(name)) return level;
  return "other";
}

/** orgs.csv: schools (matched by sourcedId, else by name) and the other orgs, which place every later row in a school or the district. */
export async function planOrgs(plan: PlanState): Promise<void> {
  const display = "orgs.csv";
  const mode = plan.mode("orgs.csv");
  const counts = plan.entities.orgs;
  const schools = await loadSchools(plan.db, plan.districtId);
  const others = await loadRosterOrgs(plan.db, plan.districtId);
  const schoolBySource = new Map<string, SchoolRef>();
  const schoolByName = new Map<string, SchoolRef>();
  const schoolByCode = new Map<string, SchoolRef>();
  for (const s of schools) {
    if (s.source_id !== null) schoolBySource.set(s.source_id, s);
    schoolByName.set(s.name.toLowerCase(), s);
    if (s.code !== null) schoolByCode.set(s.code.toLowerCase(), s);
  }
  const otherBySource = new Map(others.map((o) => [o.source_id, o]));
  // What the district already knows resolves references from a delta file (a bulk file must be complete).
  if (mode !== "bulk") {
    for (const s of schools) {
      if (s.source_id !== null) plan.orgs.set(s.source_id, { type: "school", parent: null, schoolId: s.id, state: "ok", line: null });
    }
    for (const o of others) plan.orgs.set(o.source_id, { type: o.type, parent: o.parent_source_id, schoolId: null, state: "ok", line: null });
  }
  if (mode === "absent") return;

  type OrgRow = { line: number; sid: string; name: string; type: string; identifier: string; parent: string | null; deleted: boolean };
  const rows: OrgRow[] = [];
  const seen = new Map<string, number>();
  const { required, optional } = plan.columns("orgs.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, counts);
    if (sid === null) return;
    const status = rowStatus(plan, display, mode, v, line);
    const reject = () => {
      counts.rejected++;
      plan.orgs.set(sid, { type: v("type"), parent: null, schoolId: null, state: "rejected", line });
    };
    if (status === null) return reject();
    const type = oneOf(ORG_TYPES, v("type"));
    if (status === "active") {
      if (!requireCells(plan, display, v, line, ["name", "type"])) return reject();
      if (type === null) {
        plan.issues.error(display, line, "type", `type "${v("type")}" is not one of ${ORG_TYPES.join(", ")}`);
        return reject();
      }
      if (!checkLength(plan, display, v, line, "name", NameLimits.max)) return reject();
    }
    rows.push({
      line,
      sid,
      name: v("name"),
      type: type ?? (otherBySource.get(sid)?.type ?? (schoolBySource.has(sid) ? "school" : "")),
      identifier: v("identifier"),
      parent: orNull(v("parentSourcedId")),
      deleted: status === "deleted",
    });
  });
  if (!ok) return;

  // Parents: known, and never a cycle (a cycle would make "which school is this?" unanswerable).
  const inFile = new Map(rows.map((r) => [r.sid, r]));
  const parentOf = (sid: string): string | null => inFile.get(sid)?.parent ?? plan.orgs.get(sid)?.parent ?? null;
  for (const r of rows) {
    if (r.parent !== null && !inFile.has(r.parent) && !plan.orgs.has(r.parent)) {
      plan.issues.warning(display, r.line, "parentSourcedId", `parent org ${r.parent} is not in orgs.csv; the org is read as having no parent`);
      r.parent = null;
    }
  }
  // The orgs on a cycle are rejected; the rest of the file goes on (a cycle between two orgs must
  // not make every school "unknown" to the files that follow).
  const cyclic = findCycles(plan, display, rows, parentOf, ["org", "orgs"]);
  // A department places what is under it in its school (resolveOrg walks up to it). One with no
  // school or district above it in the files (a partial export of one school's departments) stands
  // in as a school of its own: its people and classes need a school, and there is none to find.
  const typeOf = (sid: string): string | undefined => inFile.get(sid)?.type ?? plan.orgs.get(sid)?.type;
  const isAnchored = (sid: string): boolean => {
    let at = parentOf(sid);
    for (let depth = 0; at !== null && depth < 32; depth++) {
      const type = typeOf(at);
      if (type === "school" || type === "district") return true;
      at = parentOf(at);
    }
    return false;
  };
  const standIns = new Set(rows.filter((r) => r.type === "department" && (!r.deleted || schoolBySource.has(r.sid)) && !cyclic.has(r.sid) && !isAnchored(r.sid)).map((r) => r.sid));
  for (const r of rows) {
    if (!standIns.has(r.sid)) continue;
    plan.issues.warning(
      display,
      r.line,
      "parentSourcedId",
      `department ${r.sid} (${r.name}) has no school above it in orgs.csv${r.parent === null ? "" : ` (its parent ${r.parent} is not a school)`}; it is imported as a school of its own, with the people and classes under it`,
    );
  }
  const names = new Map<string, number>();
  const codes = new Map<string, number>();
  // Schools this file keeps, by id: one matched by name under a new sourcedId (a new SIS, say)
  // must not then be deactivated for its old sourcedId's absence.
  const kept = new Set<string>();
  for (const r of rows) {
    if (cyclic.has(r.sid)) {
      counts.rejected++;
      plan.orgs.set(r.sid, { type: r.type, parent: null, schoolId: null, state: "rejected", line: r.line });
      continue;
    }
    if (r.type === "school" || standIns.has(r.sid)) {
      const existing = schoolBySource.get(r.sid);
      if (r.deleted) {
        deactivateDeleted(plan, "schools", existing, counts);
        plan.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: existing?.id ?? null, state: "deleted", line: r.line });
        continue;
      }
      const key = r.name.toLowerCase();
      const dupLine = names.get(key);
      if (dupLine !== undefined) {
        plan.issues.error(display, r.line, "name", `another school in this file (line ${dupLine}) has the name "${r.name}"; school names must differ`);
        counts.rejected++;
        plan.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: null, state: "rejected", line: r.line });
        continue;
      }
      names.set(key, r.line);
      let target = existing;
      const sameName = schoolByName.get(key);
      if (!target && sameName) {
        if (sameName.source_id === null || !seen.has(sameName.source_id)) target = sameName;
        else {
          plan.issues.error(display, r.line, "name", `the school "${sameName.name}" already belongs to org ${sameName.source_id}`);
          counts.rejected++;
          plan.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: null, state: "rejected", line: r.line });
          continue;
        }
      } else if (target && sameName && sameName.id !== target.id) {
        plan.issues.error(display, r.line, "name", `another school is already called "${sameName.name}"`);
        counts.rejected++;
        plan.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: target.id, state: "rejected", line: r.line });
        continue;
      }
      let code = orNull(r.identifier);
      const id = target?.id ?? bulkId();
      if (code !== null) {
        // School codes are unique in the district; a clash leaves the code empty rather than losing the school.
        const holder = schoolByCode.get(code.toLowerCase());
        const inFile = codes.get(code.toLowerCase());
        if ((holder && holder.id !== id) || inFile !== undefined) {
          plan.issues.warning(
            display,
            r.line,
            "identifier",
            inFile !== undefined ? `identifier ${code} is also on line ${inFile}; the school gets no code` : `identifier ${code} is already the code of ${holder?.name ?? "another school"}; the school gets no code`,
          );
          code = null;
        } else codes.set(code.toLowerCase(), r.line);
      }
      if (!target) {
        plan.emit({ op: "school", id, name: r.name, level: inferLevel(r.name), code, sourceId: r.sid });
        counts.created++;
      } else if (target.name !== r.name || target.code !== code || target.status !== "active" || target.source_id !== r.sid) {
        plan.emit({ op: "school", id, name: r.name, level: target.level, code, sourceId: r.sid });
        counts.updated++;
      } else counts.unchanged++;
      kept.add(id);
      plan.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: id, state: "ok", line: r.line });
    } else {
      const existing = otherBySource.get(r.sid);
      if (r.deleted) {
        deactivateDeleted(plan, "roster_orgs", existing, counts);
        plan.orgs.set(r.sid, { type: r.type, parent: r.parent, schoolId: null, state: "deleted", line: r.line });
        continue;
      }
      const id = existing?.id ?? bulkId();
      if (!existing) {
        plan.emit({ op: "org", id, sourceId: r.sid, type: r.type, name: r.name, parentSourceId: r.parent });
        counts.created++;
      } else if (existing.type !== r.type || existing.name !== r.name || existing.parent_source_id !== r.parent || existing.status !== "active") {
        plan.emit({ op: "org", id, sourceId: r.sid, type: r.type, name: r.name, parentSourceId: r.parent });
        counts.updated++;
      } else counts.unchanged++;
      plan.orgs.set(r.sid, { type: r.type, parent: r.parent, schoolId: null, state: "ok", line: r.line });
    }
  }
  if (mode === "bulk") {
    deactivateUnseen(plan, schools.filter((s) => !kept.has(s.id)), seen, "schools", counts);
    deactivateUnseen(plan, others, seen, "roster_orgs", counts);
  }
}
