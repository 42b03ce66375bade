import sharp from "sharp";
import type { TCannedReply, TDepartment, TPunchItem, TPunchList, TQueue, TReport, TReportQuery, TScores } from "../../../shared/schemas/helpdesk.js";
import { HelpdeskLimits, OPEN_COUNT_CAP, PHOTO_TYPES, PRIORITIES, type THelpdeskSettings, type TSlaTarget } from "../../../shared/schemas/helpdesk.js";
import { deskStaffSchools, isDeskStaff, reportSchools, studentDeskSchools, canWorkTicket } from "../../../shared/policy/helpdesk.js";
import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import { STUDENT_ROLES, isRole } from "../../../shared/roles.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { nowIso, randomToken, sha256 } from "../../lib.js";
import { nudgeJobWorkers } from "../../platform/jobs.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import { recordAudit } from "../audit/api.js";
import { displayName, findPerson, namesByIds, rolesOf } from "../people/api.js";
import { schoolNamesByIds } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import { defaultSlaRows, forgetReference, reference, slaFor } from "./defaults.js";
import * as repo from "./helpdesk.repository.js";
import { announceQueues, factsOf, markFixedTx } from "./helpdesk.service.js";
import { assertCanManage, assertCanReadTicket, assertCanSeeReports, assertDeskMember } from "./policy.js";

// ---- Categories, queues, canned replies ----

export async function listCategories(ctx: Ctx, actor: Actor) {
  const ref = await reference(ctx.db, actor.districtId);
  return { items: ref.categories.filter((c) => c.status === "active").map((c) => ({ id: c.id, key: c.key, name: c.name })) };
}

// ---- Settings (district admins): categories and SLA targets ----

export async function helpdeskSettings(ctx: Ctx, actor: Actor): Promise<THelpdeskSettings> {
  assertCanManage(actor);
  const ref = await reference(ctx.db, actor.districtId);
  const counts = await repo.openCountsByQueue(ctx.db, ref.queues.map((q) => q.id), OPEN_COUNT_CAP + 1);
  const countOf = (id: string) => counts.find((c) => c.queue_id === id)?.count ?? 0;
  return {
    categories: ref.categories.map((c) => ({ id: c.id, key: c.key, name: c.name, status: c.status, sortOrder: c.sort_order })),
    queues: ref.queues.map((q) => ({
      id: q.id,
      key: q.key,
      name: q.name,
      audience: q.audience,
      status: q.status,
      sortOrder: q.sort_order,
      openCount: Math.min(OPEN_COUNT_CAP, countOf(q.id)),
      openCountIsCapped: countOf(q.id) > OPEN_COUNT_CAP,
    })),
    sla: ref.categories.flatMap((c) => PRIORITIES.map((p) => ({ categoryId: c.id, priority: p, responseMinutes: slaFor(ref, c.id, p).response, resolutionMinutes: slaFor(ref, c.id, p).resolution }))),
  };
}

const keyOf = (name: string) => name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40) || "category";

export async function createCategory(ctx: Ctx, who: Writer, body: { name: string }): Promise<THelpdeskSettings> {
  assertCanManage(who.actor);
  const districtId = who.actor.districtId;
  const ref = await reference(ctx.db, districtId);
  if (ref.categories.some((c) => c.name.toLowerCase() === body.name.toLowerCase())) throw fieldError("body.name", "is already a category's name");
  let key = keyOf(body.name);
  for (let n = 2; ref.categories.some((c) => c.key === key); n++) key = `${keyOf(body.name)}_${n}`;
  const sortOrder = Math.max(0, ...ref.categories.map((c) => c.sort_order)) + 1;
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const id = await repo.insertCategory(trx, districtId, { key, name: body.name, sortOrder });
      await repo.insertSlaTargets(trx, defaultSlaRows(districtId, { id, key }));
      return id;
    },
    (id) => ({ action: "helpdesk.category.create", subjectType: "helpdesk_category", subjectId: id, details: { key, name: body.name } }),
  );
  forgetReference(districtId);
  return helpdeskSettings(ctx, who.actor);
}

export async function updateCategory(ctx: Ctx, who: Writer, id: string, body: { name?: string; status?: "active" | "retired"; sortOrder?: number }): Promise<THelpdeskSettings> {
  assertCanManage(who.actor);
  const districtId = who.actor.districtId;
  const ref = await reference(ctx.db, districtId);
  const category = ref.categories.find((c) => c.id === id);
  if (!category) throw notFound("Category");
  if (body.name !== undefined && ref.categories.some((c) => c.id !== id && c.name.toLowerCase() === body.name?.toLowerCase())) throw fieldError("body.name", "is already a category's name");
  if (body.status === "retired" && !ref.categories.some((c) => c.id !== id && c.status === "active")) throw fieldError("body.status", "would leave no category to file under; keep at least one active");
  const changes = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.status !== undefined ? { status: body.status } : {}), ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}) };
  if (Object.keys(changes).length === 0) return helpdeskSettings(ctx, who.actor);
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.updateCategory(trx, districtId, id, changes),
    () => ({ action: "helpdesk.category.update", subjectType: "helpdesk_category", subjectId: id, details: { from: { name: category.name, status: category.status, sortOrder: category.sort_order }, to: body } }),
  );
  forgetReference(districtId);
  return helpdeskSettings(ctx, who.actor);
}

// ---- Settings (district admins): queues ----

const AUDIENCE_NAMES = { student: "student", staff: "staff", district: "district" } as const;

export async function createQueue(ctx: Ctx, who: Writer, body: { name: string; audience: "student" | "staff" | "district" }): Promise<THelpdeskSettings> {
  assertCanManage(who.actor);
  const districtId = who.actor.districtId;
  const ref = await reference(ctx.db, districtId);
  if (ref.queues.some((q) => q.name.toLowerCase() === body.name.toLowerCase())) throw fieldError("body.name", "is already a queue's name");
  let key = keyOf(body.name);
  for (let n = 2; ref.queues.some((q) => q.key === key); n++) key = `${keyOf(body.name)}_${n}`;
  const sortOrder = Math.max(0, ...ref.queues.map((q) => q.sort_order)) + 1;
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.insertQueue(trx, districtId, { key, name: body.name, audience: body.audience, sortOrder }),
    (id) => ({ action: "helpdesk.queue.create", subjectType: "helpdesk_queue", subjectId: id, details: { key, name: body.name, audience: body.audience } }),
  );
  forgetReference(districtId);
  return helpdeskSettings(ctx, who.actor);
}

/**
 * Renames, reorders, retires or reactivates a queue. New tickets go to the first active queue of
 * their audience (by order), so the last active student or staff queue cannot be retired. Retiring
 * a queue that still holds open tickets needs `moveToQueueId` (an active queue of the same audience,
 * so a retirement never shows staff tickets to student assistants): its open tickets move there in
 * the same transaction, each with a history entry; without it, 409 saying how many are open. A
 * retired queue that still holds tickets (filed by a server whose cached queues were a minute old)
 * can be retired again with a target to move them.
 */
export async function updateQueue(
  ctx: Ctx,
  who: Writer,
  id: string,
  body: { name?: string; sortOrder?: number; status?: "active" | "retired"; moveToQueueId?: string },
): Promise<THelpdeskSettings> {
  assertCanManage(who.actor);
  const districtId = who.actor.districtId;
  const ref = await reference(ctx.db, districtId);
  const queue = ref.queues.find((q) => q.id === id);
  if (!queue) throw notFound("Queue");
  if (body.name !== undefined && ref.queues.some((q) => q.id !== id && q.name.toLowerCase() === body.name?.toLowerCase())) throw fieldError("body.name", "is already a queue's name");
  const retiring = body.status === "retired";
  if (body.moveToQueueId !== undefined && !retiring) throw fieldError("body.moveToQueueId", "is only used when retiring a queue (with status: \"retired\")");
  if (retiring && queue.status === "active" && (queue.audience === "student" || queue.audience === "staff") && !ref.queues.some((q) => q.id !== id && q.status === "active" && q.audience === queue.audience)) {
    throw fieldError("body.status", `would leave no ${AUDIENCE_NAMES[queue.audience]} queue for new tickets; add or reactivate another ${AUDIENCE_NAMES[queue.audience]} queue first`);
  }
  let target: (typeof ref.queues)[number] | undefined;
  if (body.moveToQueueId !== undefined) {
    target = ref.queues.find((q) => q.id === body.moveToQueueId);
    if (!target || target.id === id) throw fieldError("body.moveToQueueId", "is not another queue of this district");
    if (target.status !== "active") throw fieldError("body.moveToQueueId", `is retired (“${target.name}”); pick an active queue`);
    if (target.audience !== queue.audience) throw fieldError("body.moveToQueueId", `is a ${AUDIENCE_NAMES[target.audience]} queue; open tickets move only to another ${AUDIENCE_NAMES[queue.audience]} queue`);
  }
  const changes = {
    ...(body.name !== undefined && body.name !== queue.name ? { name: body.name } : {}),
    ...(body.status !== undefined && body.status !== queue.status ? { status: body.status } : {}),
    ...(body.sortOrder !== undefined && body.sortOrder !== queue.sort_order ? { sort_order: body.sortOrder } : {}),
  };
  if (Object.keys(changes).length === 0 && !target) return helpdeskSettings(ctx, who.actor);
  const moved = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      let movedIds: string[] = [];
      if (retiring) {
        const open = await repo.openTicketIdsOfQueue(trx, id);
        if (open.length > 0 && !target) {
          throw new AppError(
            "conflict",
            `“${queue.name}” has ${open.length} open ticket${open.length === 1 ? "" : "s"}; name the ${AUDIENCE_NAMES[queue.audience]} queue to move ${open.length === 1 ? "it" : "them"} to (moveToQueueId), or close ${open.length === 1 ? "it" : "them"} first`,
            { openCount: open.length, field: "body.moveToQueueId" },
          );
        }
        if (target) {
          for (let i = 0; i < open.length; i += 500) {
            const ids = await repo.moveOpenTickets(trx, open.slice(i, i + 500).map((o) => o.id), id, target.id);
            await repo.insertHistoryForTickets(trx, ids, { id: who.actor.personId }, { field: "queue", from: body.name ?? queue.name, to: target.name });
            movedIds = movedIds.concat(ids);
          }
        }
      }
      if (Object.keys(changes).length > 0) await repo.updateQueue(trx, districtId, id, changes);
      return movedIds.length;
    },
    (n) => ({
      action: "helpdesk.queue.update",
      subjectType: "helpdesk_queue",
      subjectId: id,
      details: { from: { name: queue.name, status: queue.status, sortOrder: queue.sort_order }, to: { name: body.name, status: body.status, sortOrder: body.sortOrder }, ...(target ? { movedTo: target.id, moved: n } : {}) },
    }),
  );
  if (moved > 0 && target) await announceQueues(ctx, ref, [id, target.id]);
  forgetReference(districtId);
  return helpdeskSettings(ctx, who.actor);
}

/** Sets SLA targets (category × priority); every category must be the district's. New tickets use them; filed ones keep their due times. */
export async function setSlaTargets(ctx: Ctx, who: Writer, targets: readonly TSlaTarget[]): Promise<THelpdeskSettings> {
  assertCanManage(who.actor);
  const districtId = who.actor.districtId;
  const ref = await reference(ctx.db, districtId);
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (!ref.categories.some((c) => c.id === t.categoryId)) throw fieldError(`body.targets.${i}.categoryId`, "is not a help desk category of this district");
    const k = `${t.categoryId}:${t.priority}`;
    if (seen.has(k)) throw fieldError(`body.targets.${i}`, "sets the same category and priority twice");
    seen.add(k);
  });
  const changed = targets.filter((t) => {
    const now = slaFor(ref, t.categoryId, t.priority);
    return now.response !== t.responseMinutes || now.resolution !== t.resolutionMinutes;
  });
  if (changed.length > 0) {
    await auditedWrite(
      ctx,
      who,
      (trx) => repo.upsertSlaTargets(trx, changed.map((t) => ({ districtId, ...t }))),
      () => ({
        action: "helpdesk.sla.update",
        subjectType: "district",
        subjectId: districtId,
        details: { changed: changed.map((t) => ({ categoryId: t.categoryId, priority: t.priority, from: slaFor(ref, t.categoryId, t.priority), to: { response: t.responseMinutes, resolution: t.resolutionMinutes } })) },
      }),
    );
    forgetReference(districtId);
  }
  return helpdeskSettings(ctx, who.actor);
}

export async function listQueues(ctx: Ctx, actor: Actor): Promise<{ items: TQueue[] }> {
  assertDeskMember(actor);
  const ref = await reference(ctx.db, actor.districtId);
  const staff = isDeskStaff(actor);
  const audienceOk = ref.queues.filter((q) => staff || q.audience === "student");
  const [members, counts] = await Promise.all([repo.membersOf(ctx.db, audienceOk.map((q) => q.id)), repo.openCountsByQueue(ctx.db, audienceOk.map((q) => q.id), OPEN_COUNT_CAP + 1)]);
  // A retired queue is shown only while it still holds open tickets (so none is stranded out of sight).
  const visible = audienceOk.filter((q) => q.status === "active" || (counts.find((c) => c.queue_id === q.id)?.count ?? 0) > 0);
  const names = await namesByIds(ctx.db, members.map((m) => m.person_id));
  return {
    items: visible.map((q) => ({
      id: q.id,
      key: q.key,
      name: q.name,
      audience: q.audience,
      status: q.status,
      members: members.filter((m) => m.queue_id === q.id).map((m) => ({ id: m.person_id, name: displayName(names, m.person_id) })).sort((a, b) => a.name.localeCompare(b.name)),
      openCount: Math.min(OPEN_COUNT_CAP, counts.find((c) => c.queue_id === q.id)?.count ?? 0),
      openCountIsCapped: (counts.find((c) => c.queue_id === q.id)?.count ?? 0) > OPEN_COUNT_CAP,
    })),
  };
}

/** Sets a queue's members: people who can work its tickets (student assistants only on the student desk). */
export async function setQueueMembers(ctx: Ctx, who: Writer, queueId: string, personIds: readonly string[]): Promise<{ items: TQueue[] }> {
  assertCanManage(who.actor);
  const ref = await reference(ctx.db, who.actor.districtId);
  const queue = ref.queues.find((q) => q.id === queueId);
  if (!queue) throw notFound("Queue");
  const unique = [...new Set(personIds)];
  const grants = await rolesOf(ctx.db, unique);
  for (const [i, id] of unique.entries()) {
    const person = await findPerson(ctx.db, who.actor.districtId, id);
    const roles = grants.filter((g) => g.person_id === id).flatMap((g) => (isRole(g.role) ? [{ role: g.role, schoolId: g.school_id }] : []));
    const actor = { roles };
    const staff = deskStaffSchools(actor);
    const students = queue.audience === "student" ? studentDeskSchools(actor) : [];
    const works = staff === "all" || staff.length > 0 || students === "all" || students.length > 0;
    if (!person || person.status !== "active" || !works) {
      throw fieldError(`body.personIds.${i}`, queue.audience === "student" ? "is not a student assistant or tech staff member" : "is not one of the district's tech staff");
    }
  }
  await auditedWrite(ctx, who, (trx) => repo.replaceMembers(trx, queueId, unique), () => ({ action: "helpdesk.queue.members", subjectType: "helpdesk_queue", subjectId: queueId, details: { count: unique.length } }));
  return listQueues(ctx, who.actor);
}

export async function listCannedReplies(ctx: Ctx, actor: Actor): Promise<{ items: TCannedReply[] }> {
  assertDeskMember(actor);
  return { items: await repo.cannedRepliesOf(ctx.db, actor.districtId) };
}

export async function createCannedReply(ctx: Ctx, who: Writer, body: { title: string; body: string }): Promise<{ items: TCannedReply[] }> {
  assertCanManage(who.actor);
  const existing = await repo.cannedRepliesOf(ctx.db, who.actor.districtId);
  if (existing.some((c) => c.title === body.title)) throw fieldError("body.title", "is already a canned reply's title");
  await auditedWrite(ctx, who, (trx) => repo.insertCannedReply(trx, who.actor.districtId, { ...body, createdBy: who.actor.personId }), (id) => ({ action: "helpdesk.canned.create", subjectId: id, details: { title: body.title } }));
  return listCannedReplies(ctx, who.actor);
}

export async function deleteCannedReply(ctx: Ctx, who: Writer, id: string): Promise<void> {
  assertCanManage(who.actor);
  const ok = await auditedWrite(ctx, who, (trx) => repo.deleteCannedReply(trx, who.actor.districtId, id), () => ({ action: "helpdesk.canned.delete", subjectId: id }));
  if (!ok) throw notFound("Canned reply");
}

// ---- Departments, contractors, contacts, links ----

async function presentDepartments(ctx: Ctx, districtId: string, rows: Awaited<ReturnType<typeof repo.departmentsOf>>): Promise<TDepartment[]> {
  const contacts = await repo.contactsOf(ctx.db, rows.map((r) => r.id));
  const open = await repo.punchItems(ctx.db, { districtId, departmentIds: rows.map((r) => r.id), schoolIds: "all" }, HelpdeskLimits.maxPunchList);
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    kind: d.kind,
    status: d.status,
    contacts: contacts.filter((c) => c.department_id === d.id).map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, personId: c.person_id, hasLink: c.link_token_hash !== null })),
    openCount: open.filter((o) => o.department_id === d.id).length,
  }));
}

/** Departments and contractors: the desk staff pick from them to escalate. */
export async function listDepartments(ctx: Ctx, actor: Actor): Promise<{ items: TDepartment[] }> {
  if (!isDeskStaff(actor) && !isDistrictAdmin(actor)) throw forbidden("Departments and contractors are for the desk's staff");
  return { items: await presentDepartments(ctx, actor.districtId, await repo.departmentsOf(ctx.db, actor.districtId)) };
}

export async function createDepartment(ctx: Ctx, who: Writer, body: { name: string; kind: "department" | "contractor" }): Promise<TDepartment> {
  assertCanManage(who.actor);
  const all = await repo.departmentsOf(ctx.db, who.actor.districtId);
  if (all.some((d) => d.name.toLowerCase() === body.name.toLowerCase())) throw fieldError("body.name", "is already a department or contractor");
  const id = await auditedWrite(ctx, who, (trx) => repo.insertDepartment(trx, who.actor.districtId, body), (depId) => ({ action: "helpdesk.department.create", subjectType: "helpdesk_department", subjectId: depId, details: body }));
  return getDepartment(ctx, who.actor, id);
}

async function getDepartment(ctx: Ctx, actor: Actor, id: string): Promise<TDepartment> {
  const row = await repo.findDepartment(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Department or contractor");
  const [d] = await presentDepartments(ctx, actor.districtId, [row]);
  if (!d) throw notFound("Department or contractor");
  return d;
}

export async function updateDepartment(ctx: Ctx, who: Writer, id: string, body: { name?: string; status?: "active" | "archived" }): Promise<TDepartment> {
  assertCanManage(who.actor);
  const row = await repo.findDepartment(ctx.db, who.actor.districtId, id);
  if (!row) throw notFound("Department or contractor");
  await auditedWrite(ctx, who, (trx) => repo.updateDepartmentRow(trx, id, body), () => ({ action: "helpdesk.department.update", subjectType: "helpdesk_department", subjectId: id, details: body }));
  return getDepartment(ctx, who.actor, id);
}

export async function addContact(
  ctx: Ctx,
  who: Writer,
  departmentId: string,
  body: { name: string; email: string | null; phone: string | null; personId: string | null },
): Promise<TDepartment> {
  assertCanManage(who.actor);
  const row = await repo.findDepartment(ctx.db, who.actor.districtId, departmentId);
  if (!row) throw notFound("Department or contractor");
  if (body.personId) {
    const person = await findPerson(ctx.db, who.actor.districtId, body.personId);
    if (!person || person.status !== "active") throw fieldError("body.personId", "is not an active person of this district");
    const grants = await rolesOf(ctx.db, [body.personId]);
    if (grants.length > 0 && grants.every((g) => isRole(g.role) && STUDENT_ROLES.includes(g.role))) throw fieldError("body.personId", "is a student");
  }
  await auditedWrite(ctx, who, (trx) => repo.insertContact(trx, { departmentId, ...body }), (cid) => ({ action: "helpdesk.contact.create", subjectType: "helpdesk_department", subjectId: departmentId, details: { contactId: cid, name: body.name } }));
  return getDepartment(ctx, who.actor, departmentId);
}

async function contactOf(ctx: Ctx, actor: Actor, departmentId: string, contactId: string) {
  const row = await repo.findDepartment(ctx.db, actor.districtId, departmentId);
  if (!row) throw notFound("Department or contractor");
  const contact = (await repo.contactsOf(ctx.db, [departmentId])).find((c) => c.id === contactId);
  if (!contact) throw notFound("Contact");
  return contact;
}

/**
 * A punch-list link for a contact without an account (a contractor): the token is shown once and
 * only its SHA-256 is kept; a new link replaces the old one. It opens that department's list only.
 */
export async function createContactLink(ctx: Ctx, who: Writer, departmentId: string, contactId: string): Promise<{ contactId: string; url: string; token: string }> {
  assertCanManage(who.actor);
  await contactOf(ctx, who.actor, departmentId, contactId);
  const token = `cwp_${randomToken(24)}`;
  await auditedWrite(ctx, who, (trx) => repo.setContactLink(trx, contactId, sha256(token)), () => ({ action: "helpdesk.contact.link", subjectType: "helpdesk_department", subjectId: departmentId, details: { contactId } }));
  const base = ctx.config.publicUrl ?? (await loadDistrictSettings(ctx.db, who.actor.districtId)).publicUrl ?? "";
  return { contactId, token, url: `${base.replace(/\/$/, "")}/api/v1/helpdesk/punch/${token}?format=html` };
}

export async function revokeContactLink(ctx: Ctx, who: Writer, departmentId: string, contactId: string): Promise<void> {
  assertCanManage(who.actor);
  await contactOf(ctx, who.actor, departmentId, contactId);
  await auditedWrite(ctx, who, (trx) => repo.setContactLink(trx, contactId, null), () => ({ action: "helpdesk.contact.revoke", subjectType: "helpdesk_department", subjectId: departmentId, details: { contactId } }));
}

// ---- Punch list ----

/** Who opens a punch list, and what of it: desk staff (their schools), a signed-in contact (their departments), a link (its department). */
export type PunchAccess = { districtId: string; departmentIds?: readonly string[]; schoolIds: "all" | readonly string[]; actorId: string | null; label: string; departmentName?: string };

export async function punchAccessOf(ctx: Ctx, actor: Actor): Promise<PunchAccess> {
  const schools = reportSchools(actor);
  if (schools === "all" || schools.length > 0) return { districtId: actor.districtId, schoolIds: schools, actorId: actor.personId, label: actor.name };
  const departments = await repo.departmentIdsOfContact(ctx.db, actor.personId);
  if (departments.length === 0) throw forbidden("The punch list is for the desk's staff and the departments' contacts");
  return { districtId: actor.districtId, departmentIds: departments, schoolIds: "all", actorId: actor.personId, label: actor.name };
}

/** A link's access; a revoked or unknown token, or an archived department, is refused alike. */
export async function punchAccessOfToken(ctx: Ctx, token: string): Promise<PunchAccess> {
  const contact = await repo.contactByTokenHash(ctx.db, sha256(token));
  if (!contact || contact.status !== "active") throw new AppError("unauthenticated", "This punch-list link is not valid (it may have been replaced or revoked)");
  return { districtId: contact.district_id, departmentIds: [contact.department_id], schoolIds: "all", actorId: null, label: `${contact.name} (${contact.department_name})`, departmentName: contact.department_name };
}

export async function punchList(ctx: Ctx, access: PunchAccess, q: { departmentId?: string; schoolId?: string }): Promise<TPunchList> {
  let departmentIds = access.departmentIds;
  if (q.departmentId) {
    if (departmentIds && !departmentIds.includes(q.departmentId)) throw forbidden("This department's punch list is not yours");
    departmentIds = [q.departmentId];
  }
  let schoolIds = access.schoolIds;
  if (q.schoolId) {
    if (schoolIds !== "all" && !schoolIds.includes(q.schoolId)) throw forbidden("This school is not one of yours");
    schoolIds = [q.schoolId];
  }
  const rows = await repo.punchItems(ctx.db, { districtId: access.districtId, departmentIds, schoolIds }, HelpdeskLimits.maxPunchList);
  const schools = await schoolNamesByIds(ctx.db, rows.map((r) => r.school_id));
  const today = nowIso().slice(0, 10);
  const items: TPunchItem[] = rows.map((r) => ({
    ticketId: r.id,
    title: r.title,
    category: r.category_name,
    description: r.description,
    schoolId: r.school_id,
    schoolName: schools.get(r.school_id) ?? "",
    location: r.location,
    departmentId: r.department_id ?? "",
    departmentName: r.department_name,
    departmentKind: r.department_kind,
    dueOn: r.escalation_due_on,
    isOverdue: r.escalation_due_on !== null && r.escalation_due_on < today,
    escalatedAt: r.escalated_at,
    escalationNote: r.escalation_note,
  }));
  const groups: TPunchList["groups"] = [];
  for (const item of items) {
    let g = groups.find((x) => x.departmentId === item.departmentId);
    if (!g) groups.push((g = { departmentId: item.departmentId, departmentName: item.departmentName, kind: item.departmentKind, schools: [] }));
    let s = g.schools.find((x) => x.schoolId === item.schoolId);
    if (!s) g.schools.push((s = { schoolId: item.schoolId, schoolName: item.schoolName, rooms: [] }));
    let room = s.rooms.find((x) => x.location === item.location);
    if (!room) s.rooms.push((room = { location: item.location, items: [] }));
    room.items.push(item);
  }
  groups.sort((a, b) => a.departmentName.localeCompare(b.departmentName));
  for (const g of groups) {
    g.schools.sort((a, b) => a.schoolName.localeCompare(b.schoolName));
    for (const s of g.schools) s.rooms.sort((a, b) => a.location.localeCompare(b.location, undefined, { numeric: true }));
  }
  return { groups, total: items.length };
}

export const PUNCH_CSV_HEADERS = ["Department or contractor", "School", "Room", "Problem", "Category", "Details", "Escalation note", "Due", "Overdue", "Ticket"];
export function punchRows(list: TPunchList): string[][] {
  return list.groups.flatMap((g) =>
    g.schools.flatMap((s) =>
      s.rooms.flatMap((r) =>
        r.items.map((i) => [g.departmentName, s.schoolName, r.location || "(no room)", i.title, i.category, i.description, i.escalationNote ?? "", i.dueOn ?? "", i.isOverdue ? "yes" : "", i.ticketId]),
      ),
    ),
  );
}

/** The punch list as a printable PDF: a section per department, a heading per school, rows per room. */
export async function punchPdf(list: TPunchList, title: string): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "LETTER", margin: 48, info: { Title: title, Producer: "Coachwork" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.font("Helvetica-Bold").fontSize(18).text(title);
  doc.font("Helvetica").fontSize(10).fillColor("#444").text(`${list.total} open item${list.total === 1 ? "" : "s"} · printed ${nowIso().slice(0, 10)}`);
  doc.fillColor("black");
  if (list.total === 0) doc.moveDown().fontSize(12).text("Nothing open: every escalated problem is fixed.");
  for (const g of list.groups) {
    doc.moveDown().font("Helvetica-Bold").fontSize(15).text(`${g.departmentName}${g.kind === "contractor" ? " (contractor)" : ""}`);
    for (const s of g.schools) {
      doc.moveDown(0.4).font("Helvetica-Bold").fontSize(12).text(s.schoolName);
      for (const r of s.rooms) {
        doc.font("Helvetica-Oblique").fontSize(10).text(r.location || "(no room given)", { indent: 8 });
        for (const i of r.items) {
          doc.font("Helvetica").fontSize(10).text(`[  ]  ${i.title}${i.dueOn ? `  — due ${i.dueOn}${i.isOverdue ? " (OVERDUE)" : ""}` : ""}`, { indent: 16 });
          if (i.description && i.description !== i.title) doc.fontSize(8.5).fillColor("#333").text(i.description.slice(0, 400), { indent: 40 }).fillColor("black");
          if (i.escalationNote) doc.font("Helvetica-Oblique").fontSize(8.5).text(`Note: ${i.escalationNote.slice(0, 400)}`, { indent: 40 }).font("Helvetica");
        }
      }
    }
  }
  doc.end();
  return done;
}

/** Marks punch-list items fixed in bulk: all or nothing, each requester told. */
export async function markFixed(ctx: Ctx, access: PunchAccess, meta: Writer["meta"] | null, actor: Actor | null, ticketIds: readonly string[], note: string) {
  // Desk staff mark any department's items (within their schools); contacts only their own departments'.
  let departmentIds = access.departmentIds;
  if (!departmentIds) departmentIds = (await repo.departmentsOf(ctx.db, access.districtId)).map((d) => d.id);
  const result = await ctx.db.transaction().execute(async (trx) => {
    if (access.schoolIds !== "all") {
      for (const [i, id] of ticketIds.entries()) {
        const t = await repo.findTicket(trx, access.districtId, id);
        if (t && !access.schoolIds.includes(t.school_id)) throw forbidden(`body.ticketIds.${i}: this ticket is at a school that is not yours`);
      }
    }
    const r = await markFixedTx(ctx, trx, { actorId: access.actorId, label: access.label, districtId: access.districtId, departmentIds }, ticketIds, note);
    if (actor && meta) await recordAudit(trx, { actor, meta }, { action: "helpdesk.punch.fixed", details: { count: r.fixed, ticketIds: [...ticketIds] } });
    return r;
  });
  await announceQueues(ctx, await reference(ctx.db, access.districtId), result.queueIds);
  nudgeJobWorkers(); // the requesters' emails
  return { fixed: result.fixed, notified: result.notified };
}

/**
 * The contractor's page's "mark fixed" form: of the ticked items, those still open on the link's list
 * go through `markFixed` (the same path as `POST …/fixed`: all or nothing, each requester told);
 * those already resolved or closed are counted, not fixed twice; anything else is not on the list
 * and is left alone. A racing submission that fixes an item meanwhile makes this sort again, once.
 */
export async function markFixedFromPage(ctx: Ctx, access: PunchAccess, ticketIds: readonly string[], note: string): Promise<{ fixed: number; notified: number; already: number; notOnList: number }> {
  const unique = [...new Set(ticketIds)];
  for (let attempt = 0; ; attempt++) {
    const rows = await Promise.all(unique.map((id) => repo.findTicket(ctx.db, access.districtId, id)));
    const mine = rows.filter((r) => r && r.department_id !== null && (!access.departmentIds || access.departmentIds.includes(r.department_id)));
    const open = mine.flatMap((r) => (r && r.status === "escalated" ? [r.id] : []));
    const already = mine.filter((r) => r && (r.status === "resolved" || r.status === "closed")).length;
    const notOnList = unique.length - open.length - already;
    if (open.length === 0) return { fixed: 0, notified: 0, already, notOnList };
    try {
      const r = await markFixed(ctx, access, null, null, open, note);
      return { ...r, already, notOnList };
    } catch (err) {
      if (attempt > 0 || !(err instanceof AppError) || err.code !== "validation_failed") throw err;
    }
  }
}

// ---- Photos ----

/**
 * Re-encodes a photo with sharp: auto-rotated by its EXIF orientation, scaled to at most 2048 px,
 * written as a fresh JPEG (or PNG when it has transparency) with no metadata at all: no EXIF, no
 * GPS position, no camera serial.
 */
export async function reencodePhoto(input: Buffer, contentType: string): Promise<{ data: Buffer; contentType: string; width: number; height: number }> {
  if (!(PHOTO_TYPES as readonly string[]).includes(contentType)) {
    throw new AppError("unsupported_media_type", `A photo must be a JPEG, PNG, WebP, HEIC or GIF image; this was sent as ${contentType || "no type"}`);
  }
  if (input.length > HelpdeskLimits.maxPhotoBytes) throw new AppError("payload_too_large", `A photo may be at most ${HelpdeskLimits.maxPhotoBytes / 1024 / 1024} MB; this one is ${(input.length / 1024 / 1024).toFixed(1)} MB`);
  try {
    const image = sharp(input, { limitInputPixels: 60_000_000, failOn: "error" });
    const meta = await image.metadata();
    const hasAlpha = meta.hasAlpha === true && meta.format === "png";
    const pipeline = image.rotate().resize({ width: HelpdeskLimits.maxPhotoSide, height: HelpdeskLimits.maxPhotoSide, fit: "inside", withoutEnlargement: true });
    const { data, info } = await (hasAlpha ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: 82, mozjpeg: true })).toBuffer({ resolveWithObject: true });
    return { data, contentType: hasAlpha ? "image/png" : "image/jpeg", width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("unsupported_media_type", "This file could not be read as an image; send a photo (JPEG, PNG, WebP, HEIC or GIF)");
  }
}

export async function addAttachment(ctx: Ctx, who: Writer, ticketId: string, body: unknown, contentType: string) {
  const ref = await reference(ctx.db, who.actor.districtId);
  const row = await repo.findTicket(ctx.db, who.actor.districtId, ticketId);
  if (!row) throw notFound("Ticket");
  const facts = factsOf(row, ref);
  assertCanReadTicket(who.actor, facts);
  if (row.requester_id !== who.actor.personId && !canWorkTicket(who.actor, facts)) throw forbidden("Only the requester and the desk add photos");
  if (row.status === "closed") throw new AppError("conflict", "This ticket is closed");
  const existing = await repo.attachmentsOf(ctx.db, ticketId);
  if (existing.length >= HelpdeskLimits.maxPhotosPerTicket) throw new AppError("conflict", `A ticket holds at most ${HelpdeskLimits.maxPhotosPerTicket} photos`);
  if (!Buffer.isBuffer(body)) throw new AppError("unsupported_media_type", "Send the photo itself as the body, with its image type (image/jpeg, image/png…)");
  const photo = await reencodePhoto(body, contentType);
  const id = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const aid = await repo.insertAttachment(trx, { ticketId, uploadedBy: who.actor.personId, ...photo });
      await repo.insertHistory(trx, ticketId, { id: who.actor.personId }, [{ field: "attachment", from: null, to: `${photo.width}×${photo.height}` }]);
      return aid;
    },
    (aid) => ({ action: "helpdesk.ticket.attach", subjectType: "helpdesk_ticket", subjectId: ticketId, details: { attachmentId: aid, bytes: photo.data.length } }),
  );
  await announceQueues(ctx, ref, [row.queue_id]);
  return { id, contentType: photo.contentType, byteSize: photo.data.length, width: photo.width, height: photo.height, url: `/api/v1/helpdesk/attachments/${id}`, createdAt: nowIso() };
}

export async function getAttachment(ctx: Ctx, actor: Actor, id: string): Promise<{ data: Buffer; contentType: string }> {
  const a = await repo.findAttachment(ctx.db, id);
  if (!a) throw notFound("Photo");
  const ref = await reference(ctx.db, actor.districtId);
  const row = await repo.findTicket(ctx.db, actor.districtId, a.ticket_id);
  if (!row) throw notFound("Photo");
  assertCanReadTicket(actor, factsOf(row, ref));
  return { data: Buffer.from(a.data), contentType: a.content_type };
}

// ---- Reports and scores ----

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return Math.round((s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2) * 10) / 10;
};
const minutesBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;

/** ISO week of a YYYY-MM-DD date, e.g. 2026-W49. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const year = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d.getTime() - jan4.getTime()) / 86_400_000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function rangeOf(q: TReportQuery): { from: string; to: string } {
  const to = q.to ?? nowIso().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw fieldError("query.from", "is after query.to");
  return { from, to };
}

function schoolsFor(actor: Actor, q: TReportQuery): "all" | string[] {
  const schools = reportSchools(actor);
  if (!q.schoolId) return schools;
  if (schools !== "all" && !schools.includes(q.schoolId)) throw forbidden("This school is not one of yours");
  return [q.schoolId];
}

export async function report(ctx: Ctx, who: Writer, q: TReportQuery): Promise<TReport> {
  assertCanSeeReports(who.actor);
  const { from, to } = rangeOf(q);
  const range = { districtId: who.actor.districtId, from, to, schoolIds: schoolsFor(who.actor, q) };
  const ref = await reference(ctx.db, who.actor.districtId);
  const [cells, facts, recurring] = await Promise.all([repo.volumeCells(ctx.db, range), repo.ticketFacts(ctx.db, range), repo.recurringProblems(ctx.db, range, 10)]);
  const schools = await schoolNamesByIds(ctx.db, [...cells.map((c) => c.school_id), ...recurring.map((r) => r.school_id)]);
  const sum = <K extends string>(key: (c: (typeof cells)[number]) => K) => {
    const m = new Map<K, number>();
    for (const c of cells) m.set(key(c), (m.get(key(c)) ?? 0) + Number(c.count));
    return m;
  };
  const byCat = sum((c) => c.category_id);
  const bySchool = sum((c) => c.school_id);
  const byWeek = sum((c) => isoWeek(c.created_on));
  const resolved = facts.filter((f) => f.resolved_at !== null);
  const resolvedByStudents = resolved.filter((f) => f.resolved_by_student === 1).length;
  return {
    from,
    to,
    total: facts.length,
    byCategory: ref.categories.map((c) => ({ key: c.key, name: c.name, count: byCat.get(c.id) ?? 0 })).filter((c) => c.count > 0).sort((a, b) => b.count - a.count),
    bySchool: [...bySchool].map(([schoolId, count]) => ({ schoolId, schoolName: schools.get(schoolId) ?? "", count })).sort((a, b) => b.count - a.count),
    byWeek: [...byWeek].map(([week, count]) => ({ week, count })).sort((a, b) => a.week.localeCompare(b.week)),
    resolved: resolved.length,
    resolvedByStudents,
    studentShare: resolved.length ? Math.round((resolvedByStudents / resolved.length) * 1000) / 1000 : null,
    medianFirstResponseMinutes: median(facts.flatMap((f) => (f.first_response_at ? [minutesBetween(f.created_at, f.first_response_at)] : []))),
    medianResolutionMinutes: median(resolved.map((f) => minutesBetween(f.created_at, f.resolved_at ?? f.created_at))),
    responseBreaches: facts.filter((f) => (f.first_response_at ?? nowIso()) > f.response_due_at).length,
    topProblems: recurring.map((r) => ({ category: ref.categories.find((c) => c.id === r.category_id)?.name ?? "", schoolName: schools.get(r.school_id) ?? "", location: r.location, count: Number(r.count) })),
  };
}

/**
 * Customer-service scores per assistant and per queue: tickets held, resolved, ratings and their
 * average, median first response and resolution. Staff and leaders see everyone at their schools;
 * a student assistant sees their own row and the comments on their own tickets.
 */
export async function scores(ctx: Ctx, who: Writer, q: TReportQuery): Promise<TScores> {
  const actor = who.actor;
  const staffView = (() => {
    const s = reportSchools(actor);
    return s === "all" || s.length > 0;
  })();
  const students = studentDeskSchools(actor);
  if (!staffView && students !== "all" && students.length === 0) throw forbidden("Scores are for the help desk's staff, leaders and assistants");
  const { from, to } = rangeOf(q);
  const range = { districtId: actor.districtId, from, to, schoolIds: staffView ? schoolsFor(actor, q) : ("all" as const) };
  const facts = await repo.ticketFacts(ctx.db, range, staffView ? {} : { assigneeId: actor.personId });
  const ref = await reference(ctx.db, actor.districtId);
  const assigneeIds = [...new Set(facts.flatMap((f) => (f.assignee_id ? [f.assignee_id] : [])))];
  const [names, grants] = await Promise.all([namesByIds(ctx.db, assigneeIds), rolesOf(ctx.db, assigneeIds)]);
  const rowOf = (id: string, name: string, isStudent: boolean, rows: typeof facts) => {
    const rated = rows.filter((r) => r.rating !== null);
    const resolved = rows.filter((r) => r.resolved_at !== null);
    return {
      id,
      name,
      isStudent,
      tickets: rows.length,
      resolved: resolved.length,
      ratings: rated.length,
      averageRating: rated.length ? Math.round((rated.reduce((s, r) => s + (r.rating ?? 0), 0) / rated.length) * 100) / 100 : null,
      medianFirstResponseMinutes: median(rows.flatMap((r) => (r.first_response_at ? [minutesBetween(r.created_at, r.first_response_at)] : []))),
      medianResolutionMinutes: median(resolved.map((r) => minutesBetween(r.created_at, r.resolved_at ?? r.created_at))),
    };
  };
  const assistants = assigneeIds
    .map((id) => {
      const g = grants.filter((x) => x.person_id === id);
      const isStudent = g.length > 0 && g.every((x) => isRole(x.role) && STUDENT_ROLES.includes(x.role));
      return rowOf(id, displayName(names, id), isStudent, facts.filter((f) => f.assignee_id === id));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const queues = staffView ? ref.queues.map((qq) => rowOf(qq.id, qq.name, qq.audience === "student", facts.filter((f) => f.queue_id === qq.id))) : [];
  const comments = facts
    .filter((f) => f.rating !== null && f.rated_at !== null)
    .sort((a, b) => (b.rated_at ?? "").localeCompare(a.rated_at ?? ""))
    .slice(0, 50)
    .map((f) => ({ ticketId: f.id, score: f.rating ?? 0, comment: f.rating_comment ?? "", assigneeName: f.assignee_id ? displayName(names, f.assignee_id) : null, ratedAt: f.rated_at ?? "" }));
  return { assistants, queues, comments };
}
