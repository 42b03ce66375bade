import type { Insertable, Kysely, Selectable } from "kysely";
import { compileOnce } from "../../db/compile-once.js";
import type { DB, DeviceAssetsTable, DeviceEventsTable } from "../../db/schema.js";
import { newId, nowIso, prefixUpperBound } from "../../lib.js";

// All of the devices module's SQL, over its own tables only. Names of people and schools come from
// the people and schools modules' api.ts. The statements of a pickup (a morning runs thousands of
// the same few shapes) are built and compiled once (server/db/compile-once.ts), then only bound.

/** Rows per multi-row insert (17 columns: 8,500 parameters, well under SQLite's 32,766 and PostgreSQL's 65,535); larger chunks measured no faster. */
export const INSERT_CHUNK = 500;

// ---- Models ----

export function listModels(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("device_models as m")
    .leftJoin("device_assets as a", "a.model_id", "m.id")
    .select(["m.id", "m.name", "m.maker", "m.kind", (eb) => eb.fn.count<number>("a.id").as("assets")])
    .where("m.district_id", "=", districtId)
    .groupBy(["m.id", "m.name", "m.maker", "m.kind"])
    .orderBy("m.name")
    .execute();
}

export async function insertModel(db: Kysely<DB>, m: { districtId: string; name: string; maker: string; kind: string }): Promise<string> {
  const id = newId();
  await db.insertInto("device_models").values({ id, district_id: m.districtId, name: m.name, maker: m.maker, kind: m.kind, created_at: nowIso() }).execute();
  return id;
}

// ---- Assets ----

export type AssetRow = Selectable<DeviceAssetsTable> & {
  model_name: string;
  model_kind: string;
  assignment_id: string | null;
  assignee_id: string | null;
  assignment_kind: "assigned" | "loaner" | null;
  assigned_at: string | null;
  due_on: string | null;
};

function assets(db: Kysely<DB>) {
  return db
    .selectFrom("device_assets as a")
    .innerJoin("device_models as m", "m.id", "a.model_id")
    .leftJoin("device_assignments as s", (j) => j.onRef("s.asset_id", "=", "a.id").on("s.returned_at", "is", null))
    .selectAll("a")
    .select([
      "m.name as model_name",
      "m.kind as model_kind",
      "s.id as assignment_id",
      "s.person_id as assignee_id",
      "s.kind as assignment_kind",
      "s.assigned_at",
      "s.due_on",
    ]);
}

export type AssetFilter = {
  districtId: string;
  /** Schools in scope; "all" for the whole district (devices with no school included). */
  schools: "all" | string[];
  q?: string;
  status?: string;
  modelId?: string;
  schoolId?: string | "none";
  isLoaner?: boolean;
};

function filtered(db: Kysely<DB>, f: AssetFilter) {
  let q = assets(db).where("a.district_id", "=", f.districtId);
  if (f.schools !== "all") q = q.where("a.school_id", "in", f.schools.length ? f.schools : ["-"]);
  if (f.status) q = q.where("a.status", "=", f.status);
  if (f.modelId) q = q.where("a.model_id", "=", f.modelId);
  if (f.schoolId === "none") q = q.where("a.school_id", "is", null);
  else if (f.schoolId) q = q.where("a.school_id", "=", f.schoolId);
  if (f.isLoaner !== undefined) q = q.where("a.is_loaner", "=", f.isLoaner ? 1 : 0);
  if (f.q) {
    const tag = f.q.replace(/\s+/g, "").toUpperCase();
    const serial = f.q.trim();
    // Prefix ranges on the unique (district, tag) and (district, serial) indexes.
    q = q.where((eb) =>
      eb.or([
        eb.and([eb("a.tag", ">=", tag), eb("a.tag", "<", prefixUpperBound(tag))]),
        eb.and([eb("a.serial", ">=", serial), eb("a.serial", "<", prefixUpperBound(serial))]),
      ]),
    );
  }
  return q;
}

/** A page of assets by tag, after `afterTag`. */
export function listAssets(db: Kysely<DB>, f: AssetFilter, afterTag: string | null, limit: number): Promise<AssetRow[]> {
  let q = filtered(db, f);
  if (afterTag !== null) q = q.where("a.tag", ">", afterTag);
  return q.orderBy("a.tag").limit(limit).execute() as Promise<AssetRow[]>;
}

export async function countAssets(db: Kysely<DB>, f: AssetFilter, upTo: number | undefined): Promise<number> {
  let inner = filtered(db, f).clearSelect().select("a.id");
  if (upTo !== undefined) inner = inner.limit(upTo);
  const row = await db.selectFrom(inner.as("x")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every asset of a filter in tag order, in batches of 1,000 (the CSV export). */
export async function* allAssets(db: Kysely<DB>, f: AssetFilter): AsyncGenerator<AssetRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await listAssets(db, f, after, 1000);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.tag ?? null;
    if (rows.length < 1000) return;
  }
}

export function findAsset(db: Kysely<DB>, districtId: string, id: string): Promise<AssetRow | undefined> {
  return assets(db).where("a.district_id", "=", districtId).where("a.id", "=", id).executeTakeFirst() as Promise<AssetRow | undefined>;
}

export async function findAssetByTag(db: Kysely<DB>, districtId: string, tag: string): Promise<AssetRow | undefined> {
  const q = compileOnce(db, "devices.assetByTag", [districtId, tag] as const, (d, t) => assets(db).where("a.district_id", "=", d).where("a.tag", "=", t));
  return (await db.executeQuery(q)).rows[0] as AssetRow | undefined;
}

/** Assets by id (any district when `districtId` is null: for other modules holding ids they stored). */
export function assetsByIds(db: Kysely<DB>, districtId: string | null, ids: readonly string[]): Promise<AssetRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  let q = assets(db).where("a.id", "in", [...new Set(ids)]);
  if (districtId !== null) q = q.where("a.district_id", "=", districtId);
  return q.orderBy("a.tag").execute() as Promise<AssetRow[]>;
}

/** Assets currently assigned or lent to one of these people. */
export function currentAssetsOf(db: Kysely<DB>, personIds: readonly string[]): Promise<AssetRow[]> {
  if (personIds.length === 0) return Promise.resolve([]);
  return assets(db).where("s.person_id", "in", [...new Set(personIds)]).orderBy("s.assigned_at").execute() as Promise<AssetRow[]>;
}

/** Tag, serial and model of every asset of the district: what an import compares its file with. */
export function inventoryKeys(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("device_assets").select(["tag", "serial", "model_id"]).where("district_id", "=", districtId).execute();
}

/** Inserts assets (with their "created" events) in chunks of multi-row inserts. */
export async function insertAssets(db: Kysely<DB>, rows: readonly Insertable<DeviceAssetsTable>[], events: readonly Insertable<DeviceEventsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto("device_assets").values(rows.slice(i, i + INSERT_CHUNK)).execute();
  for (let i = 0; i < events.length; i += INSERT_CHUNK) await db.insertInto("device_events").values(events.slice(i, i + INSERT_CHUNK)).execute();
}

export type AssetColumns = Partial<{
  model_id: string;
  school_id: string | null;
  room: string;
  purchase_date: string | null;
  warranty_end: string | null;
  funding_source: string;
  notes: string;
  status: string;
  condition: string | null;
  is_loaner: number;
}>;

export async function updateAssets(db: Kysely<DB>, districtId: string, ids: readonly string[], set: AssetColumns): Promise<void> {
  if (ids.length === 0) return;
  const [id] = ids;
  const keys = Object.keys(set);
  if (ids.length === 1 && id !== undefined && keys.length === 1 && set.status !== undefined) {
    // One device's status (an assignment, a pickup, a return): the commonest shape, compiled once.
    const q = compileOnce(db, "devices.setStatus", [set.status, nowIso(), districtId, id] as const, (status, at, d, i) =>
      db.updateTable("device_assets").set({ status, updated_at: at }).where("district_id", "=", d).where("id", "=", i),
    );
    await db.executeQuery(q);
    return;
  }
  await db
    .updateTable("device_assets")
    .set({ ...set, updated_at: nowIso() })
    .where("district_id", "=", districtId)
    .where("id", "in", [...ids])
    .execute();
}

// ---- Events (every change: the device's timeline and a person's devices) ----

export async function insertEvents(db: Kysely<DB>, events: readonly Insertable<DeviceEventsTable>[]): Promise<void> {
  const [one] = events;
  if (events.length === 1 && one) {
    const q = compileOnce(db, "devices.insertEvent", [one.id, one.district_id, one.asset_id, one.person_id ?? null, one.kind, one.details, one.actor_id ?? null, one.at] as [string, string, string, string | null, string, string, string | null, string], (id, district_id, asset_id, person_id, kind, details, actor_id, at) =>
      db.insertInto("device_events").values({ id, district_id, asset_id, person_id, kind, details, actor_id, at }),
    );
    await db.executeQuery(q);
    return;
  }
  for (let i = 0; i < events.length; i += INSERT_CHUNK) await db.insertInto("device_events").values(events.slice(i, i + INSERT_CHUNK)).execute();
}

export function eventsOf(db: Kysely<DB>, by: { assetId: string } | { personId: string }, limit = 500) {
  let q = db.selectFrom("device_events as e").innerJoin("device_assets as a", "a.id", "e.asset_id").selectAll("e").select("a.tag");
  q = "assetId" in by ? q.where("e.asset_id", "=", by.assetId) : q.where("e.person_id", "=", by.personId);
  return q.orderBy("e.at", "desc").orderBy("e.id", "desc").limit(limit).execute();
}

// ---- Assignments ----

export async function insertAssignment(
  db: Kysely<DB>,
  a: { districtId: string; assetId: string; personId: string; kind: "assigned" | "loaner"; schoolId: string | null; rolloutId: string | null; dueOn: string | null; by: string | null; at: string },
): Promise<string> {
  const id = newId();
  const q = compileOnce(db, "devices.insertAssignment", [id, a.districtId, a.assetId, a.personId, a.kind, a.schoolId, a.rolloutId, a.dueOn, a.by, a.at] as [string, string, string, string, "assigned" | "loaner", string | null, string | null, string | null, string | null, string], (id, district_id, asset_id, person_id, kind, school_id, rollout_id, due_on, assigned_by, assigned_at) =>
    db.insertInto("device_assignments").values({ id, district_id, asset_id, person_id, kind, school_id, rollout_id, due_on, assigned_by, assigned_at, returned_at: null, returned_by: null, return_condition: null }),
  );
  await db.executeQuery(q);
  return id;
}

export async function closeAssignment(db: Kysely<DB>, id: string, c: { by: string | null; condition: string | null; at: string }): Promise<void> {
  await db.updateTable("device_assignments").set({ returned_at: c.at, returned_by: c.by, return_condition: c.condition }).where("id", "=", id).where("returned_at", "is", null).execute();
}

/** People among `personIds` who hold an active assignment of kind "assigned". */
export async function peopleWithDevice(db: Kysely<DB>, personIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < personIds.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom("device_assignments")
      .select("person_id")
      .where("person_id", "in", personIds.slice(i, i + INSERT_CHUNK))
      .where("returned_at", "is", null)
      .where("kind", "=", "assigned")
      .execute();
    for (const r of rows) out.add(r.person_id);
  }
  return out;
}

/** Loans still out whose due date is before `today`, at the given schools (all: every one), by school then due date; at most `limit`. */
export function overdueLoans(db: Kysely<DB>, districtId: string, schools: "all" | string[], today: string, limit: number) {
  let q = db
    .selectFrom("device_assignments")
    .select(["asset_id", "person_id", "school_id", "due_on"])
    .where("district_id", "=", districtId)
    .where("kind", "=", "loaner")
    .where("returned_at", "is", null)
    .where("due_on", "<", today);
  if (schools !== "all") q = q.where("school_id", "in", schools.length ? schools : ["-"]);
  return q.orderBy("school_id").orderBy("due_on").orderBy("id").limit(limit).execute();
}

/** Open assignments of the district at the given schools (all: every one), for the "to collect" list. */
export function openAssignments(db: Kysely<DB>, districtId: string, schools: "all" | string[]) {
  let q = db.selectFrom("device_assignments").select(["id", "asset_id", "person_id", "assigned_at"]).where("district_id", "=", districtId).where("returned_at", "is", null);
  if (schools !== "all") q = q.where("school_id", "in", schools.length ? schools : ["-"]);
  return q.execute();
}

/** In-stock, non-loaner devices of the given models at a school or in the district's stock (no school), the school's first. */
export function stockPool(db: Kysely<DB>, districtId: string, schoolId: string, modelIds: readonly string[], limit: number) {
  return db
    .selectFrom("device_assets")
    .select(["id", "tag", "school_id", "model_id"])
    .where("district_id", "=", districtId)
    .where("status", "=", "in_stock")
    .where("is_loaner", "=", 0)
    .where("model_id", "in", modelIds.length ? [...modelIds] : ["-"])
    .where((eb) => eb.or([eb("school_id", "=", schoolId), eb("school_id", "is", null)]))
    .orderBy("school_id")
    .orderBy("tag")
    .limit(limit)
    .execute();
}

// ---- Repairs ----

export async function insertRepair(
  db: Kysely<DB>,
  r: { districtId: string; assetId: string; vendor: string; costCents: number | null; ticketId: string | null; note: string; openedOn: string; by: string | null },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("device_repairs")
    .values({ id, district_id: r.districtId, asset_id: r.assetId, vendor: r.vendor, cost_cents: r.costCents, ticket_id: r.ticketId, note: r.note, opened_on: r.openedOn, closed_on: null, created_by: r.by, created_at: nowIso() })
    .execute();
  return id;
}

export function repairsOf(db: Kysely<DB>, assetId: string) {
  return db.selectFrom("device_repairs").selectAll().where("asset_id", "=", assetId).orderBy("opened_on", "desc").orderBy("id", "desc").execute();
}

export function findRepair(db: Kysely<DB>, districtId: string, id: string) {
  return db.selectFrom("device_repairs").selectAll().where("district_id", "=", districtId).where("id", "=", id).executeTakeFirst();
}

export async function closeRepair(db: Kysely<DB>, id: string, c: { closedOn: string; costCents?: number | null }): Promise<void> {
  await db
    .updateTable("device_repairs")
    .set({ closed_on: c.closedOn, ...(c.costCents === undefined ? {} : { cost_cents: c.costCents }) })
    .where("id", "=", id)
    .execute();
}

// ---- Rollouts and pickups ----

export async function insertRollout(
  db: Kysely<DB>,
  r: { districtId: string; name: string; schoolIds: string[]; grades: string[]; modelIds: string[]; steps: { key: string; label: string }[]; stations: string[]; startsOn: string; endsOn: string; by: string | null },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("device_rollouts")
    .values({
      id,
      district_id: r.districtId,
      name: r.name,
      school_ids: JSON.stringify(r.schoolIds),
      grades: JSON.stringify(r.grades),
      model_ids: JSON.stringify(r.modelIds),
      steps: JSON.stringify(r.steps),
      stations: JSON.stringify(r.stations),
      starts_on: r.startsOn,
      ends_on: r.endsOn,
      created_by: r.by,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

export function listRollouts(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("device_rollouts").selectAll().where("district_id", "=", districtId).orderBy("starts_on", "desc").orderBy("id").execute();
}

export async function findRollout(db: Kysely<DB>, districtId: string, id: string) {
  const q = compileOnce(db, "devices.findRollout", [districtId, id] as const, (d, i) => db.selectFrom("device_rollouts").selectAll().where("district_id", "=", d).where("id", "=", i));
  return (await db.executeQuery(q)).rows[0];
}

export async function insertPickup(
  db: Kysely<DB>,
  p: { rolloutId: string; personId: string; assetId: string; schoolId: string | null; grade: string | null; station: string; steps: string[]; by: string | null; at: string },
): Promise<void> {
  const q = compileOnce(db, "devices.insertPickup", [newId(), p.rolloutId, p.personId, p.assetId, p.schoolId, p.grade, p.station, JSON.stringify(p.steps), p.by, p.at] as [string, string, string, string, string | null, string | null, string, string, string | null, string], (id, rollout_id, person_id, asset_id, school_id, grade, station, steps, by_id, at) =>
    db.insertInto("device_pickups").values({ id, rollout_id, person_id, asset_id, school_id, grade, station, steps, by_id, at }),
  );
  await db.executeQuery(q);
}

export function pickupsOf(db: Kysely<DB>, rolloutId: string, personIds?: readonly string[]) {
  let q = db.selectFrom("device_pickups").select(["person_id", "asset_id", "school_id", "grade", "station", "at"]).where("rollout_id", "=", rolloutId);
  if (personIds) q = q.where("person_id", "in", personIds.length ? [...personIds] : ["-"]);
  return q.execute();
}

// ---- Bookable resources ----

export async function insertResource(db: Kysely<DB>, r: { districtId: string; schoolId: string; name: string; kind: string; feedToken: string }): Promise<string> {
  const id = newId();
  await db.insertInto("device_resources").values({ id, district_id: r.districtId, school_id: r.schoolId, name: r.name, kind: r.kind, feed_token: r.feedToken, created_at: nowIso() }).execute();
  return id;
}

export function listResources(db: Kysely<DB>, districtId: string, schools: "all" | string[]) {
  let q = db.selectFrom("device_resources").selectAll().where("district_id", "=", districtId);
  if (schools !== "all") q = q.where("school_id", "in", schools.length ? schools : ["-"]);
  return q.orderBy("name").orderBy("id").execute();
}

/** A resource by id; with no district (the public feed) any district's. */
export function findResource(db: Kysely<DB>, districtId: string | null, id: string) {
  let q = db.selectFrom("device_resources").selectAll().where("id", "=", id);
  if (districtId !== null) q = q.where("district_id", "=", districtId);
  return q.executeTakeFirst();
}

/** Bookings of a resource that overlap [from, to). */
export function bookingsBetween(db: Kysely<DB>, resourceId: string, from: string, to: string) {
  return db.selectFrom("device_bookings").selectAll().where("resource_id", "=", resourceId).where("starts_at", "<", to).where("ends_at", ">", from).orderBy("starts_at").orderBy("id").execute();
}

export async function insertBooking(db: Kysely<DB>, b: { resourceId: string; title: string; startsAt: string; endsAt: string; by: string }): Promise<string> {
  const id = newId();
  await db.insertInto("device_bookings").values({ id, resource_id: b.resourceId, title: b.title, starts_at: b.startsAt, ends_at: b.endsAt, booked_by: b.by, created_at: nowIso() }).execute();
  return id;
}

export function findBooking(db: Kysely<DB>, id: string) {
  return db
    .selectFrom("device_bookings as b")
    .innerJoin("device_resources as r", "r.id", "b.resource_id")
    .selectAll("b")
    .select(["r.district_id", "r.school_id"])
    .where("b.id", "=", id)
    .executeTakeFirst();
}

export async function deleteBooking(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("device_bookings").where("id", "=", id).execute();
}
