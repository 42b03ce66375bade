import type { Kysely } from "kysely";
import type { Priority } from "../../../shared/schemas/helpdesk.js";
import type { DB } from "../../db/schema.js";
import * as repo from "./helpdesk.repository.js";

// The help desk's reference data, seeded per district on first use: categories, queues and SLA
// targets are rows (a district can change them), with these starting values.

export const DEFAULT_CATEGORIES = [
  { key: "wont_charge", name: "Won't charge" },
  { key: "cant_sign_in", name: "Can't sign in" },
  { key: "app_not_installed", name: "App not installed" },
  { key: "not_connected", name: "Not connected" },
  { key: "not_working", name: "Not working" },
  { key: "broken", name: "Broken or damaged" },
  { key: "other", name: "Other" },
] as const;

export const DEFAULT_QUEUES = [
  { key: "student_desk", name: "Student help desk", audience: "student" },
  { key: "school_tech", name: "School tech", audience: "staff" },
  { key: "district", name: "District departments", audience: "district" },
] as const;

/** Minutes to the first response and to resolution, by priority; broken devices take twice as long to fix (parts). */
const SLA_MINUTES: Record<Priority, { response: number; resolution: number }> = {
  urgent: { response: 30, resolution: 4 * 60 },
  high: { response: 2 * 60, resolution: 24 * 60 },
  normal: { response: 8 * 60, resolution: 3 * 24 * 60 },
  low: { response: 24 * 60, resolution: 5 * 24 * 60 },
};

export type Reference = {
  categories: Awaited<ReturnType<typeof repo.categoriesOf>>;
  queues: Awaited<ReturnType<typeof repo.queuesOf>>;
  sla: Map<string, { response: number; resolution: number }>;
};

const cache = new Map<string, { at: number; ref: Reference }>();
// Reference data changes rarely (district admins edit it in Settings; the server that took the edit
// forgets its copy at once); a minute's staleness on another server is fine.
const CACHE_MS = 60_000;

/** The district's categories, queues and SLA targets, seeding the defaults the first time. */
export async function reference(db: Kysely<DB>, districtId: string): Promise<Reference> {
  const hit = cache.get(districtId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.ref;
  let categories = await repo.categoriesOf(db, districtId);
  let queues = await repo.queuesOf(db, districtId);
  if (categories.length === 0 || queues.length === 0) {
    await repo.insertCategories(db, districtId, DEFAULT_CATEGORIES.map((c, i) => ({ ...c, sortOrder: i })));
    await repo.insertQueues(db, districtId, DEFAULT_QUEUES.map((q, i) => ({ ...q, sortOrder: i })));
    categories = await repo.categoriesOf(db, districtId);
    queues = await repo.queuesOf(db, districtId);
  }
  let targets = await repo.slaTargetsOf(db, districtId);
  if (targets.length === 0) {
    await repo.insertSlaTargets(db, categories.flatMap((c) => defaultSlaRows(districtId, c)));
    targets = await repo.slaTargetsOf(db, districtId);
  }
  const sla = new Map(targets.map((t) => [`${t.category_id}:${t.priority}`, { response: t.response_minutes, resolution: t.resolution_minutes }]));
  const ref = { categories, queues, sla };
  cache.set(districtId, { at: Date.now(), ref });
  return ref;
}

/** The starting targets for a category, one per priority (a new category starts with them). */
export function defaultSlaRows(districtId: string, category: { id: string; key: string }) {
  return (Object.keys(SLA_MINUTES) as Priority[]).map((p) => ({
    districtId,
    categoryId: category.id,
    priority: p,
    responseMinutes: SLA_MINUTES[p].response,
    resolutionMinutes: SLA_MINUTES[p].resolution * (category.key === "broken" ? 2 : 1),
  }));
}

/** Forgets the cached reference data (tests that drop databases under a reused district id). */
export function forgetReference(districtId?: string): void {
  if (districtId) cache.delete(districtId);
  else cache.clear();
}

export function slaFor(ref: Reference, categoryId: string, priority: Priority): { response: number; resolution: number } {
  return ref.sla.get(`${categoryId}:${priority}`) ?? SLA_MINUTES[priority];
}
