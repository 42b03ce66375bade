import type { Role } from "../../../../shared/roles.js";
import { bulkId } from "../bulk-ids.js";
import type { PlanState } from "./state.js";

/** Role grants follow users: the roster's grants are added and removed; grants made by hand stay. */
export async function planGrants(plan: PlanState): Promise<void> {
  if (plan.desiredGrants.size === 0) return;
  const counts = plan.entities.roles;
  const held = new Map<string, { id: string; key: string; isRoster: boolean }[]>();
  for (const g of plan.grants) {
    if (!plan.desiredGrants.has(g.person_id)) continue;
    const list = held.get(g.person_id) ?? [];
    list.push({ id: g.id, key: `${g.role}|${g.school_id ?? ""}`, isRoster: g.source === "roster" });
    held.set(g.person_id, list);
  }
  for (const [personId, desired] of plan.desiredGrants) {
    const current = held.get(personId) ?? [];
    const have = new Set(current.map((g) => g.key));
    for (const key of desired) {
      if (have.has(key)) {
        counts.unchanged++;
        continue;
      }
      const [role, school] = key.split("|") as [Role, string];
      plan.emit({ op: "grant", id: bulkId(), personId, role, schoolId: school === "" ? null : school, source: "roster" });
      counts.created++;
    }
    if (plan.partialGrants.has(personId)) continue;
    for (const g of current) {
      if (g.isRoster && !desired.has(g.key)) {
        plan.emit({ op: "revokeGrant", id: g.id });
        counts.deactivated++;
      }
    }
  }
  await plan.opts.spool.flushIfFull();
}
