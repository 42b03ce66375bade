import { oneOf, ROLE_TYPES, userRole } from "./spec.js";
import { readCsvFile } from "./read-csv.js";
import { firstSourcedId, readDateCell, requireCells, rowStatus } from "./row-checks.js";
import type { PlanState } from "./state.js";

/** roles.csv (OneRoster 1.2): each user's roles, kept for planUsers; writes nothing itself. */
export async function readRoles(plan: PlanState): Promise<void> {
  const display = "roles.csv";
  const mode = plan.mode("roles.csv");
  if (mode === "absent") return;
  const seen = new Map<string, number>();
  const { required, optional } = plan.columns("roles.csv");
  await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, plan.entities.roles);
    if (sid === null) return;
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) {
      plan.entities.roles.rejected++;
      return;
    }
    if (status === "deleted") return;
    if (!requireCells(plan, display, v, line, ["userSourcedId", "role", "orgSourcedId"])) {
      plan.entities.roles.rejected++;
      return;
    }
    const role = userRole(v("role"));
    if (role === null) {
      plan.issues.error(display, line, "role", `role "${v("role")}" is not a OneRoster role`);
      plan.entities.roles.rejected++;
      return;
    }
    const roleType = v("roleType") === "" ? null : oneOf(ROLE_TYPES, v("roleType"));
    if (v("roleType") !== "" && roleType === null) {
      plan.issues.error(display, line, "roleType", `roleType "${v("roleType")}" is not primary or secondary`);
      plan.entities.roles.rejected++;
      return;
    }
    for (const c of ["beginDate", "endDate"]) {
      if (v(c) !== "" && readDateCell(plan, display, line, c, v(c)) === null) {
        plan.entities.roles.rejected++;
        return;
      }
    }
    const scope = plan.resolveOrg(v("orgSourcedId"));
    if (scope === null) {
      plan.issues.error(display, line, "orgSourcedId", `org ${v("orgSourcedId")} is not in orgs.csv`);
      plan.entities.roles.rejected++;
      return;
    }
    const user = v("userSourcedId");
    const list = plan.rolesByUser.get(user) ?? [];
    if (roleType === "primary") list.unshift({ role, scope });
    else list.push({ role, scope });
    plan.rolesByUser.set(user, list);
    if (!plan.roleFirstLine.has(user)) plan.roleFirstLine.set(user, line);
  });
}
