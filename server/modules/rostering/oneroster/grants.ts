import type { Role } from "../../../../shared/roles.js";
import { bulkId } from "../bulk-ids.js";
import type { PlanState } from "./state.js";

/** Role grants follow users: the roster's grants are added and removed; grants made by hand stay. */
export async function planGrants(plan: PlanState): Promise<void> {
  if (plan.desiredGrants.size === 0) return;
  const counts = plan.entities.roles;
  // What each imported person holds now. Lists and linear scans: a person holds one or two grants,
  // and a Set per person for 200,000 people cost more than the comparisons.
  const held = new Map<string, HeldGrant[]>();
  for (const g of plan.grants) {
    if (!plan.desiredGrants.has(g.person_id)) continue;
    const grant = { id: g.id, key: `${g.role}|${g.school_id ?? ""}`, isRoster: g.source === "roster" };
    const list = held.get(g.person_id);
    if (list) list.push(grant);
    else held.set(g.person_id, [grant]);
  }
  for (const [personId, desired] of plan.desiredGrants) {
    const current = held.get(personId);
    for (const key of desired) {
      if (current?.some((g) => g.key === key)) {
        counts.unchanged++;
        continue;
      }
      const [role, school] = key.split("|") as [Role, string];
      plan.emit({ op: "grant", id: bulkId(), personId, role, schoolId: school === "" ? null : school, source: "roster" });
      counts.created++;
    }
    if (!current || plan.partialGrants.has(personId)) continue;
    for (const g of current) {
      if (g.isRoster && !desired.includes(g.key)) {
        plan.emit({ op: "revokeGrant", id: g.id });
        counts.deactivated++;
      }
    }
  }
  await plan.opts.spool.flushIfFull();
}

type HeldGrant = { id: string; key: string; isRoster: boolean };
