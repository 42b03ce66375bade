import { sql, type Insertable, type Kysely, type Selectable, type SqlBool, type Updateable } from "kysely";
import type { DB, HelpdeskTicketsTable } from "../../db/schema.js";
import { compileOnce } from "../../db/compile-once.js";
import { newId, nowIso } from "../../lib.js";

// All of the help desk's SQL, over its own tables only. Names of people and schools come from
// their modules' APIs.

export type TicketRow = Selectable<HelpdeskTicketsTable>;
export type NewTicket = Omit<Insertable<HelpdeskTicketsTable>, "id" | "created_at" | "updated_at" | "created_on">;
type Status = HelpdeskTicketsTable["status"];

const OPEN: readonly Status[] = ["new", "triaged", "in_progress", "waiting", "escalated"];
/**
 * "Open", written out as constants rather than bound parameters: the partial index
 * helpdesk_tickets_open_idx (queue, created_at, id WHERE status IN these) is only usable when the
 * planner can see the values, so a queue's open page is an ordered index walk, not a scan and sort.
 */
const IS_OPEN = sql<SqlBool>`status in ('new', 'triaged', 'in_progress', 'waiting', 'escalated')`;
const isOpenSet = (statuses: readonly Status[]) => statuses.length === OPEN.length && OPEN.every((s) => statuses.includes(s));
type Priority = HelpdeskTicketsTable["priority"];

// ---- Reference data: categories, queues, SLA targets, members ----

export function categoriesOf(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("helpdesk_categories").selectAll().where("district_id", "=", districtId).orderBy("sort_order").orderBy("key").execute();
}

/** Seeds rows that are not there yet; a racing seed's rows win and nothing more is written. */
export async function insertCategories(db: Kysely<DB>, districtId: string, rows: readonly { key: string; name: string; sortOrder: number }[]): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("helpdesk_categories")
    .values(rows.map((r) => ({ id: newId(), district_id: districtId, key: r.key, name: r.name, sort_order: r.sortOrder, status: "active" as const, created_at: now })))
    .onConflict((oc) => oc.columns(["district_id", "key"]).doNothing())
    .execute();
}

export async function insertCategory(db: Kysely<DB>, districtId: string, c: { key: string; name: string; sortOrder: number }): Promise<string> {
  const id = newId();
  await db.insertInto("helpdesk_categories").values({ id, district_id: districtId, key: c.key, name: c.name, sort_order: c.sortOrder, status: "active", created_at: nowIso() }).execute();
  return id;
}

/** Renames, retires or reactivates, or moves a category of the district; false when it is not the district's. */
export async function updateCategory(db: Kysely<DB>, districtId: string, id: string, changes: { name?: string; status?: "active" | "retired"; sort_order?: number }): Promise<boolean> {
  const res = await db.updateTable("helpdesk_categories").set(changes).where("id", "=", id).where("district_id", "=", districtId).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function queuesOf(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("helpdesk_queues").selectAll().where("district_id", "=", districtId).orderBy("sort_order").orderBy("key").execute();
}

export async function insertQueues(
  db: Kysely<DB>,
  districtId: string,
  rows: readonly { key: string; name: string; audience: "student" | "staff" | "district"; sortOrder: number }[],
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("helpdesk_queues")
    .values(rows.map((r) => ({ id: newId(), district_id: districtId, key: r.key, name: r.name, audience: r.audience, sort_order: r.sortOrder, created_at: now })))
    .onConflict((oc) => oc.columns(["district_id", "key"]).doNothing())
    .execute();
}

export async function insertQueue(db: Kysely<DB>, districtId: string, q: { key: string; name: string; audience: "student" | "staff" | "district"; sortOrder: number }): Promise<string> {
  const id = newId();
  await db.insertInto("helpdesk_queues").values({ id, district_id: districtId, key: q.key, name: q.name, audience: q.audience, sort_order: q.sortOrder, status: "active", created_at: nowIso() }).execute();
  return id;
}

/** Renames, reorders, retires or reactivates a queue of the district; false when it is not the district's. */
export async function updateQueue(db: Kysely<DB>, districtId: string, id: string, changes: { name?: string; status?: "active" | "retired"; sort_order?: number }): Promise<boolean> {
  const res = await db.updateTable("helpdesk_queues").set(changes).where("id", "=", id).where("district_id", "=", districtId).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A queue's open tickets (a walk of the open index), to move them when the queue is retired. */
export function openTicketIdsOfQueue(db: Kysely<DB>, queueId: string) {
  return db.selectFrom("helpdesk_tickets").select("id").where("queue_id", "=", queueId).where(IS_OPEN).orderBy("created_at").orderBy("id").execute();
}

/**
 * Moves these tickets from one queue to another if they are still open there; returns the ids that
 * moved (a ticket closed or moved meanwhile is left alone and gets no history entry).
 */
export async function moveOpenTickets(db: Kysely<DB>, ids: readonly string[], fromQueueId: string, toQueueId: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable("helpdesk_tickets")
    .set({ queue_id: toQueueId, updated_at: nowIso() })
    .where("id", "in", [...ids])
    .where("queue_id", "=", fromQueueId)
    .where(IS_OPEN)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

export function slaTargetsOf(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("helpdesk_sla_targets").selectAll().where("district_id", "=", districtId).execute();
}

export async function insertSlaTargets(
  db: Kysely<DB>,
  rows: readonly { districtId: string; categoryId: string; priority: Priority; responseMinutes: number; resolutionMinutes: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("helpdesk_sla_targets")
    .values(rows.map((r) => ({ district_id: r.districtId, category_id: r.categoryId, priority: r.priority, response_minutes: r.responseMinutes, resolution_minutes: r.resolutionMinutes })))
    .onConflict((oc) => oc.columns(["category_id", "priority"]).doNothing())
    .execute();
}

/** Sets targets (category × priority), replacing those already there. */
export async function upsertSlaTargets(
  db: Kysely<DB>,
  rows: readonly { districtId: string; categoryId: string; priority: Priority; responseMinutes: number; resolutionMinutes: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("helpdesk_sla_targets")
    .values(rows.map((r) => ({ district_id: r.districtId, category_id: r.categoryId, priority: r.priority, response_minutes: r.responseMinutes, resolution_minutes: r.resolutionMinutes })))
    .onConflict((oc) =>
      oc.columns(["category_id", "priority"]).doUpdateSet((eb) => ({ response_minutes: eb.ref("excluded.response_minutes"), resolution_minutes: eb.ref("excluded.resolution_minutes") })),
    )
    .execute();
}

export function membersOf(db: Kysely<DB>, queueIds: readonly string[]) {
  if (queueIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("helpdesk_queue_members").select(["queue_id", "person_id"]).where("queue_id", "in", [...queueIds]).execute();
}

export async function replaceMembers(db: Kysely<DB>, queueId: string, personIds: readonly string[]): Promise<void> {
  await db.deleteFrom("helpdesk_queue_members").where("queue_id", "=", queueId).execute();
  if (personIds.length === 0) return;
  const now = nowIso();
  await db
    .insertInto("helpdesk_queue_members")
    .values(personIds.map((id) => ({ queue_id: queueId, person_id: id, created_at: now })))
    .execute();
}

/** Open tickets per queue, for the queue list, each counted up to `upTo` (a walk of the open index, capped). */
export async function openCountsByQueue(db: Kysely<DB>, queueIds: readonly string[], upTo: number): Promise<{ queue_id: string; count: number }[]> {
  return Promise.all(
    queueIds.map(async (queueId) => {
      const inner = db.selectFrom("helpdesk_tickets").select("id").where("queue_id", "=", queueId).where(IS_OPEN).limit(upTo);
      const row = await db.selectFrom(inner.as("t")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return { queue_id: queueId, count: Number(row.n) };
    }),
  );
}

// ---- Tickets ----

/** Every column of a ticket row, in one fixed order: the insert's shape never changes, so it is compiled once. */
const TICKET_COLUMNS = [
  "id", "district_id", "school_id", "queue_id", "category_id", "priority", "status", "title", "description", "location",
  "requester_id", "created_by", "via", "assignee_id", "asset_id", "department_id", "escalation_due_on", "escalated_at", "escalation_note",
  "response_due_at", "resolution_due_at", "first_response_at", "resolved_by", "resolved_by_student", "resolved_at", "closed_at",
  "rating", "rating_comment", "rated_at", "client_ref", "created_on", "created_at", "updated_at",
] as const satisfies readonly (keyof TicketRow)[];

/**
 * Inserts a ticket filed at `now` (the time its SLA due times were computed from) and returns the
 * row as stored, so the caller can present it without reading it back.
 */
export async function insertTicket(db: Kysely<DB>, t: NewTicket, now = nowIso()): Promise<TicketRow> {
  const row: TicketRow = { ...(t as Omit<TicketRow, "id" | "created_on" | "created_at" | "updated_at">), id: newId(), created_on: now.slice(0, 10), created_at: now, updated_at: now };
  const values = TICKET_COLUMNS.map((c) => row[c] ?? null);
  await db.executeQuery(
    compileOnce(db, "helpdesk.insertTicket", values, (...v) =>
      db.insertInto("helpdesk_tickets").values(Object.fromEntries(TICKET_COLUMNS.map((c, i) => [c, v[i]])) as unknown as Insertable<HelpdeskTicketsTable>),
    ),
  );
  return row;
}

export async function findTicket(db: Kysely<DB>, districtId: string, id: string): Promise<TicketRow | undefined> {
  return db.selectFrom("helpdesk_tickets").selectAll().where("id", "=", id).where("district_id", "=", districtId).executeTakeFirst();
}

export async function findTicketByClientRef(db: Kysely<DB>, createdBy: string, clientRef: string): Promise<string | undefined> {
  const row = await db.selectFrom("helpdesk_tickets").select("id").where("created_by", "=", createdBy).where("client_ref", "=", clientRef).executeTakeFirst();
  return row?.id;
}

export function ticketsByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("helpdesk_tickets").select(["id", "district_id", "status", "title", "asset_id"]).where("id", "in", [...ids]).execute();
}

/** A device's open tickets (the devices page lists them), newest first. */
export function openTicketsOfAsset(db: Kysely<DB>, districtId: string, assetId: string, limit = 20) {
  return db
    .selectFrom("helpdesk_tickets")
    .select(["id", "status", "title", "asset_id"])
    .where("asset_id", "=", assetId)
    .where("district_id", "=", districtId)
    .where(IS_OPEN)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export type TicketFilter = {
  districtId: string;
  requesterId?: string;
  assigneeId?: string;
  queueIds?: readonly string[];
  statuses?: readonly Status[];
  /** Schools the list is limited to ("all": no limit). */
  schoolIds: "all" | readonly string[];
};
// `queueIds` must be queues of `districtId` (the count relies on it).

/** A page of tickets, oldest first within the filter (the queue's order: first come, first served). */
export function listTickets(db: Kysely<DB>, f: TicketFilter, after: { createdAt: string; id: string } | null, limit: number) {
  let q = db.selectFrom("helpdesk_tickets").selectAll().where("district_id", "=", f.districtId);
  if (f.requesterId) q = q.where("requester_id", "=", f.requesterId);
  if (f.assigneeId) q = q.where("assignee_id", "=", f.assigneeId);
  if (f.queueIds) q = q.where("queue_id", "in", f.queueIds.length ? [...f.queueIds] : ["-"]);
  if (f.statuses) q = isOpenSet(f.statuses) ? q.where(IS_OPEN) : q.where("status", "in", [...f.statuses]);
  if (f.schoolIds !== "all") q = q.where("school_id", "in", f.schoolIds.length ? [...f.schoolIds] : ["-"]);
  if (after) q = q.where((eb) => eb.or([eb("created_at", ">", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", ">", after.id)])]));
  return q.orderBy("created_at").orderBy("id").limit(limit).execute();
}

export async function countTickets(db: Kysely<DB>, f: TicketFilter, upTo?: number): Promise<number> {
  // A queue is one district's (the service takes queue ids from the district's own list), so with
  // queues given the district adds nothing; left out, a queue's open count reads only the open index.
  let q = db.selectFrom("helpdesk_tickets").select("id");
  if (!f.queueIds) q = q.where("district_id", "=", f.districtId);
  if (f.requesterId) q = q.where("requester_id", "=", f.requesterId);
  if (f.assigneeId) q = q.where("assignee_id", "=", f.assigneeId);
  if (f.queueIds) q = q.where("queue_id", "in", f.queueIds.length ? [...f.queueIds] : ["-"]);
  if (f.statuses) q = isOpenSet(f.statuses) ? q.where(IS_OPEN) : q.where("status", "in", [...f.statuses]);
  if (f.schoolIds !== "all") q = q.where("school_id", "in", f.schoolIds.length ? [...f.schoolIds] : ["-"]);
  if (upTo !== undefined) q = q.limit(upTo);
  const row = await db.selectFrom(q.as("t")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Changes a ticket only if it is still in `expectedStatus` (and, with `unassigned`, still nobody's):
 * a compare-and-set, so two people acting at once cannot both win. Returns whether it changed.
 */
export async function updateTicketIf(
  db: Kysely<DB>,
  id: string,
  expect: { status: Status; assigneeId?: string | null; unassigned?: boolean },
  changes: Updateable<HelpdeskTicketsTable>,
): Promise<boolean> {
  let q = db
    .updateTable("helpdesk_tickets")
    .set({ ...changes, updated_at: nowIso() })
    .where("id", "=", id)
    .where("status", "=", expect.status);
  if (expect.unassigned) q = q.where("assignee_id", "is", null);
  else if (expect.assigneeId !== undefined) q = expect.assigneeId === null ? q.where("assignee_id", "is", null) : q.where("assignee_id", "=", expect.assigneeId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Sets the rating once: a second (or racing) rating changes nothing and returns false. */
export async function setRating(db: Kysely<DB>, id: string, score: number, comment: string): Promise<boolean> {
  const res = await db
    .updateTable("helpdesk_tickets")
    .set({ rating: score, rating_comment: comment, rated_at: nowIso() })
    .where("id", "=", id)
    .where("rating", "is", null)
    .where("status", "in", ["resolved", "closed"])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records the first response, once. */
export async function markFirstResponse(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable("helpdesk_tickets").set({ first_response_at: at }).where("id", "=", id).where("first_response_at", "is", null).execute();
}

// ---- Messages, history, attachments ----

export async function insertMessage(
  db: Kysely<DB>,
  m: { ticketId: string; authorId: string | null; authorLabel?: string | null; visibility: "reply" | "note" | "staff_note"; body: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("helpdesk_messages")
    .values({ id, ticket_id: m.ticketId, author_id: m.authorId, author_label: m.authorLabel ?? null, visibility: m.visibility, body: m.body, created_at: nowIso() })
    .execute();
  return id;
}

export function messagesOf(db: Kysely<DB>, ticketId: string, visibilities: readonly ("reply" | "note" | "staff_note")[]) {
  return db
    .selectFrom("helpdesk_messages")
    .selectAll()
    .where("ticket_id", "=", ticketId)
    .where("visibility", "in", [...visibilities])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export type HistoryWrite = { field: string; from: string | null; to: string | null };

export type HistoryRow = Selectable<DB["helpdesk_ticket_history"]>;

/** Writes the entries (one statement) and returns them as stored. */
export async function insertHistory(db: Kysely<DB>, ticketId: string, actor: { id: string | null; label?: string | null }, changes: readonly HistoryWrite[]): Promise<HistoryRow[]> {
  if (changes.length === 0) return [];
  const now = nowIso();
  const rows = changes.map((c) => ({ id: newId(), ticket_id: ticketId, actor_id: actor.id, actor_label: actor.label ?? null, field: c.field, from_value: c.from, to_value: c.to, created_at: now }));
  const [r] = rows;
  if (rows.length === 1 && r) {
    const values: [string, string, string | null, string | null, string, string | null, string | null, string] = [r.id, r.ticket_id, r.actor_id, r.actor_label, r.field, r.from_value, r.to_value, r.created_at];
    await db.executeQuery(
      compileOnce(db, "helpdesk.insertHistory1", values, (id, ticket_id, actor_id, actor_label, field, from_value, to_value, created_at) =>
        db.insertInto("helpdesk_ticket_history").values({ id, ticket_id, actor_id, actor_label, field, from_value, to_value, created_at }),
      ),
    );
  } else {
    await db.insertInto("helpdesk_ticket_history").values(rows).execute();
  }
  return rows;
}

/** The same change on many tickets (one statement): a retired queue's tickets moving to another. */
export async function insertHistoryForTickets(db: Kysely<DB>, ticketIds: readonly string[], actor: { id: string | null; label?: string | null }, change: HistoryWrite): Promise<void> {
  if (ticketIds.length === 0) return;
  const now = nowIso();
  await db
    .insertInto("helpdesk_ticket_history")
    .values(ticketIds.map((ticket_id) => ({ id: newId(), ticket_id, actor_id: actor.id, actor_label: actor.label ?? null, field: change.field, from_value: change.from, to_value: change.to, created_at: now })))
    .execute();
}

export function historyOf(db: Kysely<DB>, ticketId: string) {
  return db.selectFrom("helpdesk_ticket_history").selectAll().where("ticket_id", "=", ticketId).orderBy("created_at").orderBy("id").execute();
}

export async function insertAttachment(
  db: Kysely<DB>,
  a: { ticketId: string; uploadedBy: string; contentType: string; width: number; height: number; data: Buffer },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("helpdesk_attachments")
    .values({ id, ticket_id: a.ticketId, uploaded_by: a.uploadedBy, content_type: a.contentType, byte_size: a.data.length, width: a.width, height: a.height, data: a.data, created_at: nowIso() })
    .execute();
  return id;
}

export function attachmentsOf(db: Kysely<DB>, ticketId: string) {
  return db
    .selectFrom("helpdesk_attachments")
    .select(["id", "ticket_id", "content_type", "byte_size", "width", "height", "created_at"])
    .where("ticket_id", "=", ticketId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function findAttachment(db: Kysely<DB>, id: string) {
  return db.selectFrom("helpdesk_attachments").selectAll().where("id", "=", id).executeTakeFirst();
}

// ---- Canned replies ----

export function cannedRepliesOf(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("helpdesk_canned_replies").select(["id", "title", "body"]).where("district_id", "=", districtId).orderBy("title").execute();
}

export async function insertCannedReply(db: Kysely<DB>, districtId: string, r: { title: string; body: string; createdBy: string | null }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("helpdesk_canned_replies")
    .values({ id, district_id: districtId, title: r.title, body: r.body, created_by: r.createdBy, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["district_id", "title"]).doNothing())
    .execute();
  return id;
}

export async function deleteCannedReply(db: Kysely<DB>, districtId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom("helpdesk_canned_replies").where("id", "=", id).where("district_id", "=", districtId).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

// ---- Departments, contractors and their contacts ----

export function departmentsOf(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("helpdesk_departments").selectAll().where("district_id", "=", districtId).orderBy("name").execute();
}

export function findDepartment(db: Kysely<DB>, districtId: string, id: string) {
  return db.selectFrom("helpdesk_departments").selectAll().where("id", "=", id).where("district_id", "=", districtId).executeTakeFirst();
}

export async function insertDepartment(db: Kysely<DB>, districtId: string, d: { name: string; kind: "department" | "contractor" }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db.insertInto("helpdesk_departments").values({ id, district_id: districtId, name: d.name, kind: d.kind, status: "active", created_at: now, updated_at: now }).execute();
  return id;
}

export async function updateDepartmentRow(db: Kysely<DB>, id: string, changes: { name?: string; status?: "active" | "archived" }): Promise<void> {
  await db.updateTable("helpdesk_departments").set({ ...changes, updated_at: nowIso() }).where("id", "=", id).execute();
}

export function contactsOf(db: Kysely<DB>, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("helpdesk_contacts").selectAll().where("department_id", "in", [...departmentIds]).orderBy("name").execute();
}

export async function insertContact(
  db: Kysely<DB>,
  c: { departmentId: string; name: string; email: string | null; phone: string | null; personId: string | null },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("helpdesk_contacts")
    .values({ id, department_id: c.departmentId, name: c.name, email: c.email, phone: c.phone, person_id: c.personId, link_token_hash: null, link_created_at: null, created_at: nowIso() })
    .execute();
  return id;
}

/** Sets (a new link replaces the old one) or clears a contact's link token hash. */
export async function setContactLink(db: Kysely<DB>, contactId: string, tokenHash: string | null): Promise<void> {
  await db
    .updateTable("helpdesk_contacts")
    .set({ link_token_hash: tokenHash, link_created_at: tokenHash ? nowIso() : null })
    .where("id", "=", contactId)
    .execute();
}

export function contactByTokenHash(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom("helpdesk_contacts as c")
    .innerJoin("helpdesk_departments as d", "d.id", "c.department_id")
    .select(["c.id", "c.name", "c.department_id", "d.district_id", "d.status", "d.name as department_name"])
    .where("c.link_token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Departments where the person is a contact (they mark that department's items fixed). */
export async function departmentIdsOfContact(db: Kysely<DB>, personId: string): Promise<string[]> {
  const rows = await db.selectFrom("helpdesk_contacts").select("department_id").where("person_id", "=", personId).execute();
  return [...new Set(rows.map((r) => r.department_id))];
}

/** Open escalated tickets, the punch list's rows, by department, school and room. */
export function punchItems(db: Kysely<DB>, f: { districtId: string; departmentIds?: readonly string[]; schoolIds: "all" | readonly string[] }, limit: number) {
  let q = db
    .selectFrom("helpdesk_tickets as t")
    .innerJoin("helpdesk_departments as d", "d.id", "t.department_id")
    .innerJoin("helpdesk_categories as c", "c.id", "t.category_id")
    .select([
      "t.id",
      "t.title",
      "t.description",
      "t.school_id",
      "t.location",
      "t.escalation_due_on",
      "t.escalated_at",
      "t.escalation_note",
      "t.department_id",
      "d.name as department_name",
      "d.kind as department_kind",
      "c.name as category_name",
    ])
    .where("t.district_id", "=", f.districtId)
    .where("t.status", "=", "escalated");
  if (f.departmentIds) q = q.where("t.department_id", "in", f.departmentIds.length ? [...f.departmentIds] : ["-"]);
  if (f.schoolIds !== "all") q = q.where("t.school_id", "in", f.schoolIds.length ? [...f.schoolIds] : ["-"]);
  return q.orderBy("d.name").orderBy("t.school_id").orderBy("t.location").orderBy("t.created_at").limit(limit).execute();
}

// ---- Reports ----

export type ReportRange = { districtId: string; from: string; to: string; schoolIds: "all" | readonly string[] };

/** Tickets filed per day, category and school in the range: the report's counts are sums of these. */
export function volumeCells(db: Kysely<DB>, r: ReportRange) {
  let q = db
    .selectFrom("helpdesk_tickets")
    .select(["created_on", "category_id", "school_id", (eb) => eb.fn.countAll<number>().as("count")])
    .where("district_id", "=", r.districtId)
    .where("created_on", ">=", r.from)
    .where("created_on", "<=", r.to);
  if (r.schoolIds !== "all") q = q.where("school_id", "in", r.schoolIds.length ? [...r.schoolIds] : ["-"]);
  return q.groupBy(["created_on", "category_id", "school_id"]).execute();
}

/** The timing and rating facts of the range's tickets, for medians, shares and scores. */
export function ticketFacts(db: Kysely<DB>, r: ReportRange, opts: { assigneeId?: string } = {}) {
  let q = db
    .selectFrom("helpdesk_tickets")
    .select([
      "id",
      "queue_id",
      "assignee_id",
      "resolved_by",
      "resolved_by_student",
      "created_at",
      "first_response_at",
      "response_due_at",
      "resolved_at",
      "rating",
      "rating_comment",
      "rated_at",
    ])
    .where("district_id", "=", r.districtId)
    .where("created_on", ">=", r.from)
    .where("created_on", "<=", r.to);
  if (r.schoolIds !== "all") q = q.where("school_id", "in", r.schoolIds.length ? [...r.schoolIds] : ["-"]);
  if (opts.assigneeId) q = q.where("assignee_id", "=", opts.assigneeId);
  return q.execute();
}

/** The most frequent category × school × room of the range: problems that keep coming back. */
export function recurringProblems(db: Kysely<DB>, r: ReportRange, limit: number) {
  let q = db
    .selectFrom("helpdesk_tickets")
    .select(["category_id", "school_id", "location", (eb) => eb.fn.countAll<number>().as("count")])
    .where("district_id", "=", r.districtId)
    .where("created_on", ">=", r.from)
    .where("created_on", "<=", r.to);
  if (r.schoolIds !== "all") q = q.where("school_id", "in", r.schoolIds.length ? [...r.schoolIds] : ["-"]);
  return q
    .groupBy(["category_id", "school_id", "location"])
    .having((eb) => eb.fn.countAll(), ">", 1)
    .orderBy("count", "desc")
    .orderBy("category_id")
    .limit(limit)
    .execute();
}
