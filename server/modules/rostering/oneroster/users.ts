import { NameLimits } from "../../../../shared/limits.js";
import { ZEmail } from "../../../../shared/schemas/people.js";
import { nowIso } from "../../../lib.js";
import { bulkId } from "../bulk-ids.js";
import { mapUserRole, type OneRosterVersion, parseBool, splitList, userRole } from "./spec.js";
import { loadGrants, loadPeople, type PersonRef } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import type { OpOf } from "../spool-ops.js";
import { checkLength, deactivateDeleted, firstSourcedId, requireCells, rowStatus, upsertUnlessStored, warnSkippedForParents, type StoredColumns } from "./row-checks.js";
import { orNull, type PlanState, type Scope } from "./state.js";

/** users.csv: people, matched by sourcedId, else by email to someone added by hand; and the grants they should hold (for planGrants). */
/** The person's row is compared by sourcedId too: `target` may be someone added by hand, matched by email. */
const STORED: StoredColumns<OpOf<"person">, PersonRef> = [
  ["sourceId", "source_id"],
  ["givenName", "given_name"],
  ["familyName", "family_name"],
  ["email", "email"],
  ["gradeLevel", "grade_level"],
  ["studentNumber", "student_number"],
];

export async function planUsers(plan: PlanState, version: OneRosterVersion): Promise<void> {
  const display = "users.csv";
  const mode = plan.mode("users.csv");
  const counts = plan.entities.people;
  // Both at once: on PostgreSQL each is a round of the server's work and the driver's parsing.
  const [people, grants] = await Promise.all([loadPeople(plan.db, plan.districtId), loadGrants(plan.db, plan.districtId)]);
  for (const p of people) {
    if (p.status === "active") plan.activePeople++;
    if (p.source_id !== null) plan.peopleBySource.set(p.source_id, p);
    if (p.email !== null) plan.peopleByEmail.set(p.email, p);
  }
  plan.grants = grants;
  for (const g of plan.grants) {
    if (g.role === "district_admin") plan.adminIds.add(g.person_id);
  }
  if (mode !== "bulk") for (const p of people) if (p.source_id !== null) plan.users.set(p.source_id, { id: p.id, state: "ok" });
  if (mode === "absent") return;
  const seen = new Map<string, number>();
  const emails = new Map<string, number>();
  let skippedForOrgs = 0;
  const { required, optional } = plan.columns("users.csv");
  // Decided once, not per row: under load, the per-row `version === "1.1"` in this callback was seen
  // to come out false for one row in a 1.1 file (around the 2,000th row, where V8 optimizes the
  // callback), which sent that row down the 1.2 branch (docs/faults.md).
  const isVersion11 = version === "1.1";
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, counts);
    if (sid === null) return;
    const prior = plan.peopleBySource.get(sid);
    const reject = () => {
      counts.rejected++;
      plan.users.set(sid, { id: prior?.id ?? null, state: "rejected" });
    };
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) return reject();
    if (status === "deleted") {
      plan.users.set(sid, { id: prior?.id ?? null, state: "deleted" });
      // A district admin stays active whatever the file says.
      deactivateDeleted(plan, "people", prior && !plan.adminIds.has(prior.id) ? prior : undefined, counts);
      return;
    }

    // Roles: 1.1 has them on the row; 1.2 in roles.csv.
    let roles: { role: string; scope: Scope }[] = [];
    if (isVersion11) {
      if (!requireCells(plan, display, v, line, ["role", "orgSourcedIds"])) return reject();
      const role = userRole(v("role"));
      if (role === null) {
        plan.issues.error(display, line, "role", `role "${v("role")}" is not a OneRoster role`);
        return reject();
      }
      for (const orgSid of splitList(v("orgSourcedIds"))) {
        const scope = plan.resolveOrg(orgSid);
        if (scope === null) {
          plan.issues.error(display, line, "orgSourcedIds", `org ${orgSid} is not in orgs.csv`);
          return reject();
        }
        roles.push({ role, scope });
      }
    } else {
      roles = plan.rolesByUser.get(sid) ?? [];
      if (roles.length === 0) {
        plan.issues.error(display, line, "sourcedId", `user ${sid} has no role in roles.csv`);
        return reject();
      }
    }
    const mapped = roles.map((r) => ({ ...r, ours: mapUserRole(r.role) }));
    if (mapped.every((r) => r.ours === null)) {
      const primary = roles[0]?.role ?? "unknown";
      plan.skippedRoles[primary] = (plan.skippedRoles[primary] ?? 0) + 1;
      counts.skipped++;
      plan.users.set(sid, { id: null, state: "skipped" });
      return;
    }
    // An array, not a Set: a person holds one or two grants, and this runs for every user.
    const grants: string[] = [];
    for (const r of mapped) {
      if (r.ours === null || r.scope.kind === "none" || r.scope.kind === "gone") continue;
      const key = `${r.ours}|${r.scope.kind === "school" ? r.scope.schoolId : ""}`;
      if (!grants.includes(key)) grants.push(key);
    }
    const isStudent = mapped.some((r) => r.ours === "student");
    const lacksSchool = isStudent && !grants.some((g) => g.startsWith("student|") && g !== "student|");
    if ((lacksSchool || grants.every((g) => g === "student|")) && mapped.some((r) => r.scope.kind === "gone")) {
      // The user's org was rejected or deleted: they follow it, counted but not reported again.
      skippedForOrgs++;
      counts.skipped++;
      plan.users.set(sid, { id: null, state: "skipped" });
      return;
    }
    if (lacksSchool) {
      plan.issues.error(display, line, isVersion11 ? "orgSourcedIds" : "sourcedId", "a student must belong to a school, not only to the district");
      return reject();
    }
    const districtStudent = grants.indexOf("student|");
    if (districtStudent >= 0) grants.splice(districtStudent, 1);
    if (grants.length === 0) {
      plan.issues.error(display, line, isVersion11 ? "orgSourcedIds" : "sourcedId", "none of the user's orgs is a school or the district");
      return reject();
    }

    if (!requireCells(plan, display, v, line, ["givenName", "familyName"])) return reject();
    if (!checkLength(plan, display, v, line, "givenName", NameLimits.max) || !checkLength(plan, display, v, line, "familyName", NameLimits.max)) {
      return reject();
    }
    let email: string | null = null;
    if (v("email") !== "") {
      const parsed = ZEmail.safeParse(v("email"));
      if (!parsed.success) {
        plan.issues.error(display, line, "email", `"${v("email")}" is not a valid email address`);
        return reject();
      }
      email = parsed.data;
      const dup = emails.get(email);
      if (dup !== undefined) {
        plan.issues.error(display, line, "email", `${email} is also the email of the user on line ${dup}; emails must differ`);
        return reject();
      }
    }
    const enabled = v("enabledUser") === "" ? true : parseBool(v("enabledUser"));
    if (enabled === undefined) {
      plan.issues.error(display, line, "enabledUser", `enabledUser "${v("enabledUser")}" is not true or false (or yes/no, 1/0)`);
      return reject();
    }
    const grades = splitList(v("grades"));
    const gradeLevel = isStudent ? (grades[0] ?? null) : null;
    if (gradeLevel !== null && gradeLevel.length > 16) {
      plan.issues.error(display, line, "grades", `grade "${gradeLevel}" is longer than 16 characters`);
      return reject();
    }
    const studentNumber = isStudent ? orNull(v("identifier")) : null;
    if (studentNumber !== null && studentNumber.length > 64) {
      plan.issues.error(display, line, "identifier", "identifier is longer than 64 characters");
      return reject();
    }

    let target = prior;
    if (email !== null) {
      const holder = plan.peopleByEmail.get(email);
      if (holder && (!target || holder.id !== target.id)) {
        if (!target && holder.source_id === null) target = holder; // someone added by hand: link them
        else {
          const who = `${holder.given_name} ${holder.family_name}`;
          plan.issues.error(display, line, "email", `${email} already belongs to ${who}${holder.source_id ? ` (sourcedId ${holder.source_id})` : ""}`);
          return reject();
        }
      }
      emails.set(email, line);
    }
    const isAdmin = target !== undefined && plan.adminIds.has(target.id);
    const personStatus: "active" | "inactive" = enabled || isAdmin ? "active" : "inactive";
    if (!enabled && isAdmin) {
      plan.issues.warning(display, line, "enabledUser", "the user is a district admin here, so the import leaves them active");
    }
    const id = target?.id ?? bulkId();
    plan.users.set(sid, { id, state: "ok", isStudent: mapped.every((r) => r.ours === null || r.ours === "student") });
    plan.desiredGrants.set(id, grants);
    if (mapped.some((r) => r.scope.kind === "gone")) plan.partialGrants.add(id);
    upsertUnlessStored(
      plan,
      target,
      {
        op: "person",
        id,
        sourceId: sid,
        givenName: v("givenName"),
        familyName: v("familyName"),
        email,
        gradeLevel,
        studentNumber,
        status: personStatus,
        // Kept from the stored row when it was inactive already: the date it left, not this import's.
        deactivatedAt: personStatus === "inactive" ? (target?.status === "inactive" ? target.deactivated_at : nowIso()) : null,
      },
      STORED,
      counts,
    );
  });
  if (!ok) return;
  warnSkippedForParents(plan, display, skippedForOrgs, ["user was", "users were"], "their school or org was rejected or deleted");
  for (const [user, line] of plan.roleFirstLine) {
    if (!seen.has(user) && !plan.peopleBySource.has(user)) {
      plan.issues.error("roles.csv", line, "userSourcedId", `user ${user} is not in users.csv`);
      plan.entities.roles.rejected++;
    }
  }
  if (mode === "bulk") {
    for (const p of people) {
      if (p.source_id !== null && !seen.has(p.source_id) && p.status === "active") {
        if (plan.adminIds.has(p.id)) {
          plan.issues.warning(display, null, null, `${p.given_name} ${p.family_name} (sourcedId ${p.source_id}) is not in the file but is a district admin here, so stays active`);
          continue;
        }
        plan.emit({ op: "deactivate", table: "people", id: p.id });
        counts.deactivated++;
      }
    }
  }
}
