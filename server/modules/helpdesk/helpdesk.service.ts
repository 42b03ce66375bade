import type { Kysely } from "kysely";
import type { TList } from "../../../shared/schemas/common.js";
import {
  HelpdeskLimits,
  OPEN_COUNT_CAP,
  NEXT_STATUSES,
  OPEN_STATUSES,
  PRIORITY_LABELS,
  TICKET_STATUS_LABELS,
  type TAddMessageRequest,
  type TCreateTicketBody,
  type TEscalateRequest,
  type TicketStatus,
  type TKioskStudent,
  type TListTicketsQuery,
  type TRateRequest,
  type TTicket,
  type TTicketSummary,
  type TUpdateTicketRequest,
  type Visibility,
} from "../../../shared/schemas/helpdesk.js";
import {
  canEscalateTicket,
  canFileAt,
  canFileFor,
  canRateTicket,
  canSeeStaffNotes,
  canWorkTicket,
  deskStaffSchools,
  studentDeskSchools,
  type TicketFacts,
} from "../../../shared/policy/helpdesk.js";
import { STUDENT_ROLES, isRole } from "../../../shared/roles.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { nowIso } from "../../lib.js";
import { nudgeJobWorkers, queueCoalescedJob } from "../../platform/jobs.js";
import { paginate } from "../../platform/pagination.js";
import { createOnce, type Writer } from "../../platform/writes.js";
import { recordAudit } from "../audit/api.js";
import { enqueueEmail } from "../mail/api.js";
import { displayName, findPerson, namesByIds, rolesOf, studentByNumber, type PersonName } from "../people/api.js";
import { isSchoolOfDistrict, schoolNamesByIds } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import { reference, slaFor, type Reference } from "./defaults.js";
import * as repo from "./helpdesk.repository.js";
import { assertCanEscalate, assertCanReadTicket, assertCanWorkTicket } from "./policy.js";
import { assertDeviceOfDistrict, canSendToRepair, sendDeviceToRepairTx, ticketDevice } from "./devices-link.js";

type Trx = Kysely<DB>;

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export function factsOf(t: repo.TicketRow, ref: Reference): TicketFacts {
  const queue = ref.queues.find((q) => q.id === t.queue_id);
  return { districtId: t.district_id, schoolId: t.school_id, requesterId: t.requester_id, audience: queue?.audience ?? "staff", status: t.status, rated: t.rating !== null };
}

/**
 * Tells desk screens that queues changed: called after the change has committed, it queues a job the
 * worker turns into a realtime event on the queue's topic. Changes to one queue within half a second
 * share one job (queueCoalescedJob), so a burst of tickets is one event, not hundreds: the screen
 * refetches anyway.
 */
export async function announceQueues(ctx: Ctx, ref: Reference, queueIds: Iterable<string | null | undefined>): Promise<void> {
  for (const queueId of new Set(queueIds)) {
    const queue = ref.queues.find((q) => q.id === queueId);
    if (!queue) continue;
    await queueCoalescedJob(ctx, { kind: "helpdesk.announce", key: queue.id, payload: { districtId: queue.district_id, audience: queue.audience, queueId: queue.id }, bucketMs: 500 });
  }
}

// ---- Reading ----

async function ticketOr404(ctx: Ctx, actor: Actor, id: string): Promise<{ row: repo.TicketRow; ref: Reference; facts: TicketFacts }> {
  const ref = await reference(ctx.db, actor.districtId);
  const row = await repo.findTicket(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Ticket");
  return { row, ref, facts: factsOf(row, ref) };
}

function slaOf(t: Pick<repo.TicketRow, "response_due_at" | "resolution_due_at" | "first_response_at" | "resolved_at">, now = nowIso()) {
  const responded = t.first_response_at ?? now;
  const resolved = t.resolved_at ?? now;
  return {
    responseDueAt: t.response_due_at,
    resolutionDueAt: t.resolution_due_at,
    responseBreached: responded > t.response_due_at,
    resolutionBreached: resolved > t.resolution_due_at,
  };
}

export async function presentSummaries(db: Kysely<DB>, ref: Reference, rows: readonly repo.TicketRow[]): Promise<TTicketSummary[]> {
  const [names, schools] = await Promise.all([
    namesByIds(db, rows.flatMap((r) => (r.assignee_id ? [r.requester_id, r.assignee_id] : [r.requester_id]))),
    schoolNamesByIds(db, rows.map((r) => r.school_id)),
  ]);
  const now = nowIso();
  return rows.map((r) => summaryOf(r, ref, (id) => displayName(names, id), schools.get(r.school_id) ?? "", now));
}

function summaryOf(r: repo.TicketRow, ref: Reference, nameOf: (id: string) => string, schoolName: string, now: string): TTicketSummary {
  const category = ref.categories.find((c) => c.id === r.category_id);
  const queue = ref.queues.find((q) => q.id === r.queue_id);
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    priority: r.priority,
    category: { id: r.category_id, key: category?.key ?? "other", name: category?.name ?? "Other" },
    queueId: r.queue_id,
    queueName: queue?.name ?? "",
    schoolId: r.school_id,
    schoolName,
    location: r.location,
    requesterId: r.requester_id,
    requesterName: nameOf(r.requester_id),
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_id ? nameOf(r.assignee_id) : null,
    assetId: r.asset_id,
    departmentId: r.department_id,
    sla: slaOf(r, now),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type TicketParts = {
  summary: TTicketSummary;
  messages: Awaited<ReturnType<typeof repo.messagesOf>>;
  history: repo.HistoryRow[];
  attachments: Awaited<ReturnType<typeof repo.attachmentsOf>>;
  department: { id: string; name: string; kind: "department" | "contractor" } | undefined;
  device: TTicket["device"];
  sendToRepair: boolean;
  nameOf: (id: string) => string;
};

async function presentTicket(ctx: Ctx, actor: Actor, row: repo.TicketRow, ref: Reference): Promise<TTicket> {
  const facts = factsOf(row, ref);
  const works = canWorkTicket(actor, facts);
  const staff = canSeeStaffNotes(actor, facts);
  const visibilities: Visibility[] = staff ? ["reply", "note", "staff_note"] : works ? ["reply", "note"] : ["reply"];
  const [[summary], messages, history, attachments, department, device, sendToRepair] = await Promise.all([
    presentSummaries(ctx.db, ref, [row]),
    repo.messagesOf(ctx.db, row.id, visibilities),
    repo.historyOf(ctx.db, row.id),
    repo.attachmentsOf(ctx.db, row.id),
    row.department_id ? repo.findDepartment(ctx.db, row.district_id, row.department_id) : Promise.resolve(undefined),
    ticketDevice(ctx.db, row.district_id, row.asset_id),
    row.status === "closed" ? false : canSendToRepair(ctx.db, actor, row.asset_id),
  ]);
  if (!summary) throw notFound("Ticket");
  const names = await namesByIds(ctx.db, [...messages.flatMap((m) => (m.author_id ? [m.author_id] : [])), ...history.flatMap((h) => (h.actor_id ? [h.actor_id] : []))]);
  return assembleTicket(actor, row, ref, { summary, messages, history, attachments, department, device, sendToRepair, nameOf: (id) => displayName(names, id) });
}

/**
 * A ticket just filed, presented from what was written: it has one history entry and no messages,
 * photos or escalation, so only the requester's name (when it is not the caller's), the school's
 * name and the device (when it names one) are read. Filing is the hot path (200 a second in the
 * first week of a rollout, docs/benchmarks.md); reading the ticket back cost eight statements.
 */
async function presentFiledTicket(
  ctx: Ctx,
  actor: Actor,
  row: repo.TicketRow,
  ref: Reference,
  history: repo.HistoryRow[],
  schoolNames: Promise<Map<string, string>>,
): Promise<TTicket> {
  const others = [row.requester_id, ...history.flatMap((h) => (h.actor_id ? [h.actor_id] : []))].filter((id) => id !== actor.personId);
  const [names, schools, device, sendToRepair] = await Promise.all([
    others.length ? namesByIds(ctx.db, others) : Promise.resolve(new Map<string, PersonName>()),
    schoolNames,
    ticketDevice(ctx.db, row.district_id, row.asset_id),
    canSendToRepair(ctx.db, actor, row.asset_id),
  ]);
  const nameOf = (id: string) => (id === actor.personId ? actor.name : displayName(names, id));
  const summary = summaryOf(row, ref, nameOf, schools.get(row.school_id) ?? "", nowIso());
  return assembleTicket(actor, row, ref, { summary, messages: [], history, attachments: [], department: undefined, device, sendToRepair, nameOf });
}

function assembleTicket(actor: Actor, row: repo.TicketRow, ref: Reference, p: TicketParts): TTicket {
  const facts = factsOf(row, ref);
  const works = canWorkTicket(actor, facts);
  const staff = canSeeStaffNotes(actor, facts);
  // What a requester sees of the history: the changes, not internal notes' existence nor who is on staff.
  const visibleHistory = works ? p.history : p.history.filter((h) => h.field !== "note" && h.field !== "staff_note");
  return {
    ...p.summary,
    device: p.device,
    description: row.description,
    via: row.via,
    createdById: row.created_by,
    department: p.department ? { id: p.department.id, name: p.department.name, kind: p.department.kind } : null,
    escalationDueOn: row.escalation_due_on,
    firstResponseAt: row.first_response_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    rating: row.rating !== null && row.rated_at ? { score: row.rating, comment: row.rating_comment ?? "", ratedAt: row.rated_at } : null,
    messages: p.messages.map((m) => ({
      id: m.id,
      authorId: m.author_id,
      authorName: m.author_id ? p.nameOf(m.author_id) : (m.author_label ?? "Someone"),
      visibility: m.visibility,
      body: m.body,
      createdAt: m.created_at,
    })),
    history: visibleHistory.map((h) => ({
      id: h.id,
      actorName: h.actor_id ? p.nameOf(h.actor_id) : (h.actor_label ?? "Coachwork"),
      field: h.field,
      from: h.from_value,
      to: h.to_value,
      createdAt: h.created_at,
    })),
    attachments: p.attachments.map((a) => ({
      id: a.id,
      contentType: a.content_type,
      byteSize: a.byte_size,
      width: a.width,
      height: a.height,
      url: `/api/v1/helpdesk/attachments/${a.id}`,
      createdAt: a.created_at,
    })),
    can: {
      work: works,
      seeStaffNotes: staff,
      rate: canRateTicket(actor, facts),
      reply: works || row.requester_id === actor.personId,
      escalate: canEscalateTicket(actor, facts),
      attach: (works || row.requester_id === actor.personId) && row.status !== "closed",
      sendToRepair: row.status === "closed" ? false : p.sendToRepair,
    },
    nextStatuses: works ? NEXT_STATUSES[row.status].filter((s) => s !== "escalated") : [],
  };
}

/** One ticket as the actor may see it: a student assistant never gets staff-only notes. Reading someone else's is audited. */
export async function getTicket(ctx: Ctx, who: Writer, id: string): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanReadTicket(who.actor, facts);
  if (row.requester_id !== who.actor.personId) {
    await recordAudit(ctx.db, who, { action: "helpdesk.ticket.read", subjectType: "helpdesk_ticket", subjectId: id, details: { requesterId: row.requester_id } });
  }
  return presentTicket(ctx, who.actor, row, ref);
}

/** The schools and queues whose tickets the actor works. */
function workScope(actor: Actor, ref: Reference, queueId?: string): { schoolIds: "all" | string[]; queueIds: string[] | undefined }[] {
  const staff = deskStaffSchools(actor);
  const students = studentDeskSchools(actor);
  const studentQueues = ref.queues.filter((q) => q.audience === "student").map((q) => q.id);
  const scopes: { schoolIds: "all" | string[]; queueIds: string[] | undefined }[] = [];
  if (staff === "all" || staff.length > 0) scopes.push({ schoolIds: staff, queueIds: queueId ? [queueId] : undefined });
  if (students === "all" || students.length > 0) {
    const queues = queueId ? studentQueues.filter((q) => q === queueId) : studentQueues;
    if (queues.length) scopes.push({ schoolIds: students, queueIds: queues });
  }
  return scopes;
}

const STATUS_FILTER: Record<string, readonly TicketStatus[] | undefined> = {
  open: OPEN_STATUSES,
  done: ["resolved", "closed"],
  all: undefined,
};

/**
 * Tickets: yours (`mine=requested`, the default for anyone who works no desk), those you hold
 * (`mine=assigned`), or a queue's at the schools you work it. Oldest first: first come, first served.
 */
export async function listTickets(ctx: Ctx, who: Writer, q: TListTicketsQuery): Promise<TList<TTicketSummary>> {
  const actor = who.actor;
  const ref = await reference(ctx.db, actor.districtId);
  const statuses = q.status in STATUS_FILTER ? STATUS_FILTER[q.status] : [q.status as TicketStatus];
  let filter: repo.TicketFilter;
  if (q.mine === "requested" || (!q.mine && !q.queueId && workScope(actor, ref).length === 0)) {
    filter = { districtId: actor.districtId, requesterId: actor.personId, statuses, schoolIds: "all" };
  } else {
    const scopes = workScope(actor, ref, q.queueId);
    if (q.queueId && !ref.queues.some((x) => x.id === q.queueId)) throw fieldError("query.queueId", "is not a queue of this district");
    const scope = scopes[0];
    if (!scope) throw forbidden(q.queueId ? "You do not work this queue" : "Only the help desk's staff and student assistants see queues");
    filter = {
      districtId: actor.districtId,
      statuses,
      schoolIds: scope.schoolIds,
      queueIds: scope.queueIds,
      ...(q.mine === "assigned" ? { assigneeId: actor.personId } : {}),
      ...(q.requesterId ? { requesterId: q.requesterId } : {}),
    };
  }
  if (q.schoolId) {
    if (filter.schoolIds !== "all" && !filter.schoolIds.includes(q.schoolId)) throw forbidden("You do not work this school's desk");
    filter = { ...filter, schoolIds: [q.schoolId] };
  }
  const page = await paginate<repo.TicketRow, { createdAt: string; id: string }>({
    query: q,
    cursorOf: (r) => [r.created_at, r.id],
    readCursor: ([createdAt, id]) => (typeof createdAt === "string" && typeof id === "string" ? { createdAt, id } : undefined),
    fetch: (after, limit) => repo.listTickets(ctx.db, filter, after, limit),
    count: (upTo) => repo.countTickets(ctx.db, filter, upTo),
    countCap: OPEN_COUNT_CAP,
  });
  const items = await presentSummaries(ctx.db, ref, page.items);
  if (filter.requesterId !== actor.personId && items.length > 0) {
    await recordAudit(ctx.db, who, { action: "helpdesk.ticket.list", subjectType: "helpdesk_queue", subjectId: q.queueId ?? null, details: { count: items.length } });
  }
  return { ...page, items };
}

// ---- Filing ----

export type OpenTicketInput = {
  requesterId: string;
  schoolId: string;
  categoryKey: string;
  description: string;
  title?: string;
  location?: string;
  priority?: TCreateTicketBody["priority"];
  assetId?: string | null;
  via?: "web" | "kiosk" | "api" | "module";
  clientRef?: string | null;
};

function titleFrom(category: string, description: string): string {
  const line = description.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
  const text = `${category}: ${line}`;
  return text.length > HelpdeskLimits.maxTitle ? `${text.slice(0, HelpdeskLimits.maxTitle - 1)}…` : text;
}

/** Where a new ticket goes: students' to the student help desk, everyone else's to the school's tech. */
/** New tickets go to the first active queue of their audience (district admins order and retire queues in Settings). */
const queueOf = (ref: Reference, requesterIsStudent: boolean) => ref.queues.find((q) => q.audience === (requesterIsStudent ? "student" : "staff") && q.status === "active");

/**
 * Writes a ticket in the caller's transaction: its row, its "created" history entry and its audit
 * record; the caller announces the queue (announceQueues) once it has committed. Checks what the
 * input names, not who may file (callers do).
 * Students' tickets go to the student help desk, everyone else's to the school's tech.
 */
export async function insertTicketTx(
  trx: Trx,
  who: Writer,
  input: OpenTicketInput,
  ref: Reference,
  requesterIsStudent: boolean,
): Promise<{ row: repo.TicketRow; history: repo.HistoryRow[] }> {
  const category = ref.categories.find((c) => c.key === input.categoryKey && c.status === "active");
  if (!category) throw fieldError("body.categoryKey", `is not a help desk category; use one of ${ref.categories.filter((c) => c.status === "active").map((c) => c.key).join(", ")}`);
  const queue = queueOf(ref, requesterIsStudent);
  if (!queue) throw new AppError("internal", "The help desk has no queue for this ticket");
  const priority = input.priority ?? "normal";
  const sla = slaFor(ref, category.id, priority);
  const now = nowIso();
  const row = await repo.insertTicket(trx, {
    district_id: who.actor.districtId,
    school_id: input.schoolId,
    queue_id: queue.id,
    category_id: category.id,
    priority,
    status: "new",
    title: input.title?.trim() || titleFrom(category.name, input.description),
    description: input.description,
    location: input.location ?? "",
    requester_id: input.requesterId,
    created_by: who.actor.personId,
    via: input.via ?? "web",
    assignee_id: null,
    asset_id: input.assetId ?? null,
    department_id: null,
    escalation_due_on: null,
    escalated_at: null,
    escalation_note: null,
    response_due_at: addMinutes(now, sla.response),
    resolution_due_at: addMinutes(now, sla.resolution),
    first_response_at: null,
    resolved_by: null,
    resolved_by_student: null,
    resolved_at: null,
    closed_at: null,
    rating: null,
    rating_comment: null,
    rated_at: null,
    client_ref: input.clientRef ?? null,
  }, now);
  const id = row.id;
  const history = await repo.insertHistory(trx, id, { id: who.actor.personId }, [{ field: "created", from: null, to: input.via ?? "web" }]);
  await recordAudit(trx, who, {
    action: "helpdesk.ticket.create",
    subjectType: "helpdesk_ticket",
    subjectId: id,
    details: { schoolId: input.schoolId, requesterId: input.requesterId, category: category.key, via: input.via ?? "web", assetId: input.assetId ?? null },
  });
  return { row, history };
}


/** Files a ticket: for yourself at a school you belong to, or (desk members) for someone at their desk's school. */
export async function createTicket(ctx: Ctx, who: Writer, body: TCreateTicketBody): Promise<{ ticket: TTicket; created: boolean }> {
  const actor = who.actor;
  // A grant at this very school already says it is one of the district's (grants are the district's); otherwise ask.
  const holdsGrantHere = actor.roles.some((g) => g.schoolId === body.schoolId);
  if (!holdsGrantHere && !(await isSchoolOfDistrict(ctx.db, actor.districtId, body.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  let requesterId = actor.personId;
  let via: OpenTicketInput["via"] = actor.via === "token" ? "api" : "web";
  let requesterIsStudent: boolean;
  if (body.studentNumber !== undefined || (body.requesterId !== undefined && body.requesterId !== actor.personId)) {
    if (!canFileFor(actor, body.schoolId)) throw forbidden("Only the school's help desk files tickets for someone else");
    if (body.studentNumber !== undefined) {
      const student = await studentByNumber(ctx.db, actor.districtId, body.studentNumber);
      if (!student) throw fieldError("body.studentNumber", `no active student has the ID ${body.studentNumber}`);
      if (!student.schoolIds.includes(body.schoolId)) throw fieldError("body.studentNumber", "is a student of another school");
      requesterId = student.id;
      via = "kiosk";
      requesterIsStudent = true;
    } else {
      const other = body.requesterId ?? actor.personId;
      const person = await findPerson(ctx.db, actor.districtId, other);
      if (!person || person.status !== "active") throw fieldError("body.requesterId", "is not an active person of this district");
      const grants = await rolesOf(ctx.db, [other]);
      if (!grants.some((g) => g.school_id === null || g.school_id === body.schoolId)) throw fieldError("body.requesterId", "does not belong to this school");
      requesterId = other;
      requesterIsStudent = grants.every((g) => isRole(g.role) && STUDENT_ROLES.includes(g.role));
    }
  } else {
    if (!canFileAt(actor, body.schoolId)) throw forbidden("You file tickets at your own schools only");
    requesterIsStudent = actor.roles.every((g) => STUDENT_ROLES.includes(g.role));
  }
  const ref = await reference(ctx.db, actor.districtId);
  if (body.assetId) await assertDeviceOfDistrict(ctx.db, actor.districtId, body.assetId);
  else if (body.sendToRepair) throw fieldError("body.sendToRepair", "needs the device (body.assetId)");
  const { sendToRepair, ...rest } = body;
  const input: OpenTicketInput = { ...rest, requesterId, via, clientRef: body.clientRef ?? null };
  // The school's name for the answer, read while the ticket is written (it does not depend on it).
  const schoolNames = schoolNamesByIds(ctx.db, [body.schoolId]);
  schoolNames.catch(() => undefined); // awaited below when the ticket is presented; not unhandled meanwhile
  const result = await createOnce<{ id: string; written?: Awaited<ReturnType<typeof insertTicketTx>> }>({
    // A retry with the same client ref is rare: the insert meets the key's unique index and the
    // transaction rolls back, then the first ticket is read (saves a look before every create).
    lookFirst: false,
    find: async () => {
      const id = body.clientRef ? await repo.findTicketByClientRef(ctx.db, actor.personId, body.clientRef) : undefined;
      return id === undefined ? undefined : { id };
    },
    create: async () => {
      const id = await ctx.db.transaction().execute(async (trx) => {
        const w = await insertTicketTx(trx, who, input, ref, requesterIsStudent);
        // A broken device filed by someone who manages it goes to repair with its ticket, or neither is saved.
        if (sendToRepair && body.assetId) {
          await sendDeviceToRepairTx(trx, ctx, who, { id: w.row.id, assetId: body.assetId }, body.description);
          return { id: w.row.id }; // the repair changed the device and the history: read the ticket back
        }
        return { id: w.row.id, written: w };
      });
      await announceQueues(ctx, ref, [queueOf(ref, requesterIsStudent)?.id]);
      if (sendToRepair) nudgeJobWorkers();
      return { id, created: true };
    },
  });
  if (result.id.written) return { ticket: await presentFiledTicket(ctx, actor, result.id.written.row, ref, result.id.written.history, schoolNames), created: true };
  const row = await repo.findTicket(ctx.db, actor.districtId, result.id.id);
  if (!row) throw notFound("Ticket");
  return { ticket: await presentTicket(ctx, actor, row, ref), created: result.created };
}

/** The kiosk: a student found by the ID on their card, for a desk member of one of their schools. */
export async function kioskStudent(ctx: Ctx, who: Writer, studentNumber: string): Promise<TKioskStudent> {
  const student = await studentByNumber(ctx.db, who.actor.districtId, studentNumber.trim());
  if (!student) throw notFound(`A student with the ID ${studentNumber}`);
  if (!student.schoolIds.some((s) => canFileFor(who.actor, s))) throw forbidden("This student is at a school whose desk you do not work");
  await recordAudit(ctx.db, who, { action: "helpdesk.kiosk.lookup", subjectType: "person", subjectId: student.id, details: {} });
  return { id: student.id, name: `${student.givenName} ${student.familyName}`, gradeLevel: student.gradeLevel, schoolIds: student.schoolIds };
}

// ---- Working a ticket ----

/** Who may be assigned: someone whose own grants let them work the ticket. */
async function canBeAssigned(db: Kysely<DB>, districtId: string, personId: string, facts: TicketFacts): Promise<boolean> {
  const person = await findPerson(db, districtId, personId);
  if (!person || person.status !== "active") return false;
  const roles = (await rolesOf(db, [personId])).flatMap((g) => (isRole(g.role) ? [{ role: g.role, schoolId: g.school_id }] : []));
  return canWorkTicket({ personId, districtId, roles }, facts);
}

/** Whether the actor is a student assistant (their share of resolutions counts in the reports). */
const actsAsStudent = (actor: Actor): boolean => actor.roles.every((g) => STUDENT_ROLES.includes(g.role));

/**
 * Takes a ticket: the one who takes it holds it. Atomic: the update only lands while nobody holds
 * it, so of two assistants pressing Take together one wins and the other gets 409.
 */
export async function takeTicket(ctx: Ctx, who: Writer, id: string): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanWorkTicket(who.actor, facts);
  const conflict = async () => {
    const now = await repo.findTicket(ctx.db, who.actor.districtId, id);
    const holder = now?.assignee_id ? displayName(await namesByIds(ctx.db, [now.assignee_id]), now.assignee_id) : null;
    return new AppError("conflict", holder ? `${holder} already took this ticket` : "This ticket changed meanwhile; reload it", { assigneeName: holder });
  };
  if (row.assignee_id !== null) throw await conflict();
  if (!["new", "triaged", "in_progress", "waiting"].includes(row.status)) throw new AppError("conflict", `A ${TICKET_STATUS_LABELS[row.status].toLowerCase()} ticket cannot be taken`);
  const target: TicketStatus = row.status === "waiting" ? "waiting" : "in_progress";
  const now = nowIso();
  const took = await ctx.db.transaction().execute(async (trx) => {
    const ok = await repo.updateTicketIf(trx, id, { status: row.status, unassigned: true }, { assignee_id: who.actor.personId, status: target });
    if (!ok) return false;
    const steps: repo.HistoryWrite[] = [{ field: "assignee", from: null, to: who.actor.name }];
    if (row.status === "new") steps.push({ field: "status", from: "new", to: "triaged" });
    if (row.status === "new" || row.status === "triaged") steps.push({ field: "status", from: "triaged", to: "in_progress" });
    await repo.insertHistory(trx, id, { id: who.actor.personId }, steps);
    await repo.markFirstResponse(trx, id, now);
    await recordAudit(trx, who, { action: "helpdesk.ticket.take", subjectType: "helpdesk_ticket", subjectId: id, details: { from: row.status } });
    return true;
  });
  if (!took) throw await conflict();
  await announceQueues(ctx, ref, [row.queue_id]);
  return getFresh(ctx, who.actor, id, ref);
}

async function getFresh(ctx: Ctx, actor: Actor, id: string, ref: Reference): Promise<TTicket> {
  const row = await repo.findTicket(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Ticket");
  return presentTicket(ctx, actor, row, ref);
}

function transitionError(from: TicketStatus, to: TicketStatus): AppError {
  const next = NEXT_STATUSES[from];
  const options = next.length ? next.map((s) => TICKET_STATUS_LABELS[s]).join(" or ") : "nothing (it is closed)";
  return fieldError("body.status", `cannot go from ${TICKET_STATUS_LABELS[from]} to ${TICKET_STATUS_LABELS[to]}: the workflow does not skip steps; from ${TICKET_STATUS_LABELS[from]} it goes to ${options}`);
}

/** Tells the requester by email that their ticket was resolved (and invites a rating). */
async function notifyResolved(ctx: Ctx, trx: Trx, t: Pick<repo.TicketRow, "id" | "district_id" | "requester_id" | "title">, how: string): Promise<boolean> {
  const person = await findPerson(trx, t.district_id, t.requester_id);
  if (!person?.email || person.status !== "active") return false;
  const base = ctx.config.publicUrl ?? (await loadDistrictSettings(trx, t.district_id)).publicUrl;
  const where = base ? `See what was done and rate the help:\n\n${base.replace(/\/$/, "")}/helpdesk/tickets/${t.id}\n` : "Sign in to Coachwork and open Help desk to see what was done and rate the help.\n";
  await enqueueEmail(trx, {
    to: person.email,
    subject: `Fixed: ${t.title}`,
    text: `Hello ${person.given_name},\n\n${how}\n\n${where}`,
  });
  return true;
}

/** Moves a ticket through the workflow, or changes its priority, category, queue or assignee. */
export async function updateTicket(ctx: Ctx, who: Writer, id: string, body: TUpdateTicketRequest): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanWorkTicket(who.actor, facts);
  const changes: Parameters<typeof repo.updateTicketIf>[3] = {};
  const history: repo.HistoryWrite[] = [];
  const now = nowIso();
  if (body.status !== undefined && body.status !== row.status) {
    if (body.status === "escalated") throw fieldError("body.status", "escalate with POST /api/v1/helpdesk/tickets/{id}/escalate, naming the department or contractor and a due date");
    if (!NEXT_STATUSES[row.status].includes(body.status)) throw transitionError(row.status, body.status);
    changes.status = body.status;
    history.push({ field: "status", from: row.status, to: body.status });
    if (body.status === "resolved") {
      changes.resolved_at = now;
      changes.resolved_by = who.actor.personId;
      changes.resolved_by_student = actsAsStudent(who.actor) ? 1 : 0;
    }
    if (body.status === "closed") changes.closed_at = now;
    if (body.status === "in_progress" && row.status === "resolved") {
      changes.resolved_at = null;
      changes.resolved_by = null;
      changes.resolved_by_student = null;
    }
  }
  if (body.priority !== undefined && body.priority !== row.priority) {
    changes.priority = body.priority;
    const sla = slaFor(ref, row.category_id, body.priority);
    changes.response_due_at = addMinutes(row.created_at, sla.response);
    changes.resolution_due_at = addMinutes(row.created_at, sla.resolution);
    history.push({ field: "priority", from: PRIORITY_LABELS[row.priority], to: PRIORITY_LABELS[body.priority] });
  }
  if (body.categoryKey !== undefined) {
    const category = ref.categories.find((c) => c.key === body.categoryKey && c.status === "active");
    if (!category) throw fieldError("body.categoryKey", "is not a help desk category");
    if (category.id !== row.category_id) {
      changes.category_id = category.id;
      history.push({ field: "category", from: ref.categories.find((c) => c.id === row.category_id)?.name ?? null, to: category.name });
    }
  }
  if (body.queueId !== undefined && body.queueId !== row.queue_id) {
    const queue = ref.queues.find((q) => q.id === body.queueId);
    if (!queue) throw fieldError("body.queueId", "is not a queue of this district");
    if (queue.status !== "active") throw fieldError("body.queueId", `is retired (“${queue.name}”)`);
    changes.queue_id = queue.id;
    changes.assignee_id = null;
    history.push({ field: "queue", from: ref.queues.find((q) => q.id === row.queue_id)?.name ?? null, to: queue.name });
  }
  if (body.assigneeId !== undefined && body.assigneeId !== row.assignee_id) {
    if (body.assigneeId !== null) {
      const queue = ref.queues.find((q) => q.id === (changes.queue_id ?? row.queue_id));
      const ok = await canBeAssigned(ctx.db, who.actor.districtId, body.assigneeId, { ...facts, audience: queue?.audience ?? facts.audience });
      if (!ok) throw fieldError("body.assigneeId", "does not work this ticket's queue at its school");
    }
    changes.assignee_id = body.assigneeId;
    const names = await namesByIds(ctx.db, [row.assignee_id, body.assigneeId].filter((x): x is string => x !== null));
    history.push({ field: "assignee", from: row.assignee_id ? displayName(names, row.assignee_id) : null, to: body.assigneeId ? displayName(names, body.assigneeId) : null });
  }
  if (history.length === 0) return presentTicket(ctx, who.actor, row, ref);
  const ok = await ctx.db.transaction().execute(async (trx) => {
    // Compare-and-set on the status and holder read above: a change made meanwhile wins, this one answers 409.
    const changed = await repo.updateTicketIf(trx, id, { status: row.status, assigneeId: row.assignee_id }, changes);
    if (!changed) return false;
    await repo.insertHistory(trx, id, { id: who.actor.personId }, history);
    if (who.actor.personId !== row.requester_id) await repo.markFirstResponse(trx, id, now);
    if (changes.status === "resolved") await notifyResolved(ctx, trx, row, `${who.actor.name} marked your help desk ticket “${row.title}” resolved.`);
    await recordAudit(trx, who, { action: "helpdesk.ticket.update", subjectType: "helpdesk_ticket", subjectId: id, details: { ...body } });
    return true;
  });
  if (!ok) throw new AppError("conflict", "Someone changed this ticket meanwhile; reload it and try again");
  await announceQueues(ctx, ref, [row.queue_id, changes.queue_id]);
  nudgeJobWorkers(); // the requester's email, when resolved
  return getFresh(ctx, who.actor, id, ref);
}

/**
 * Sends the ticket's device to repair (the devices module's openRepair, in this write's transaction)
 * with a history entry on the ticket. Whoever may read the ticket may ask; the devices module decides
 * (403 unless they manage devices at its school, 409 when it is already in repair, lost, stolen or retired).
 */
export async function sendTicketDeviceToRepair(ctx: Ctx, who: Writer, id: string, body: { note: string }): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanReadTicket(who.actor, facts);
  const assetId = row.asset_id;
  if (!assetId || !(await ticketDevice(ctx.db, row.district_id, assetId))) throw new AppError("conflict", "This ticket names no device to send to repair");
  if (row.status === "closed") throw new AppError("conflict", "This ticket is closed");
  await ctx.db.transaction().execute(async (trx) => {
    await sendDeviceToRepairTx(trx, ctx, who, { id, assetId }, body.note || row.title);
  });
  await announceQueues(ctx, ref, [row.queue_id]);
  nudgeJobWorkers();
  return getFresh(ctx, who.actor, id, ref);
}

/** Replies (the requester reads them), internal notes (the desk) and staff-only notes. */
export async function addMessage(ctx: Ctx, who: Writer, id: string, body: Required<TAddMessageRequest>): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanReadTicket(who.actor, facts);
  const works = canWorkTicket(who.actor, facts);
  if (body.visibility === "note" && !works) throw forbidden("Internal notes are for the desk that works this ticket");
  if (body.visibility === "staff_note" && !canSeeStaffNotes(who.actor, facts)) throw forbidden("Staff-only notes are for the school's tech staff");
  if (row.status === "closed") throw new AppError("conflict", "This ticket is closed; file a new one");
  const isRequester = row.requester_id === who.actor.personId;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertMessage(trx, { ticketId: id, authorId: who.actor.personId, visibility: body.visibility, body: body.body });
    await repo.insertHistory(trx, id, { id: who.actor.personId }, [{ field: body.visibility, from: null, to: null }]);
    if (!isRequester && body.visibility === "reply") await repo.markFirstResponse(trx, id, nowIso());
    // The requester answering a question puts the ticket back in the desk's hands.
    if (isRequester && row.status === "waiting") {
      if (await repo.updateTicketIf(trx, id, { status: "waiting" }, { status: "in_progress" })) {
        await repo.insertHistory(trx, id, { id: who.actor.personId }, [{ field: "status", from: "waiting", to: "in_progress" }]);
      }
    }
    await recordAudit(trx, who, { action: "helpdesk.ticket.message", subjectType: "helpdesk_ticket", subjectId: id, details: { visibility: body.visibility } });
  });
  await announceQueues(ctx, ref, [row.queue_id]);
  return getFresh(ctx, who.actor, id, ref);
}

/** The requester rates the help once, 1–5 with a comment; a second rating is refused (409). */
export async function rateTicket(ctx: Ctx, who: Writer, id: string, body: Required<TRateRequest>): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanReadTicket(who.actor, facts);
  if (row.requester_id !== who.actor.personId) throw forbidden("Only the person who asked for help rates it");
  if (row.rating !== null) throw new AppError("conflict", `You already rated this ticket (${row.rating} of 5); a ticket is rated once`);
  if (row.status !== "resolved" && row.status !== "closed") throw new AppError("conflict", "Rate the help once the ticket is resolved");
  const ok = await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.setRating(trx, id, body.score, body.comment))) return false;
    await repo.insertHistory(trx, id, { id: who.actor.personId }, [{ field: "rating", from: null, to: String(body.score) }]);
    await recordAudit(trx, who, { action: "helpdesk.ticket.rate", subjectType: "helpdesk_ticket", subjectId: id, details: { score: body.score } });
    return true;
  });
  if (!ok) throw new AppError("conflict", "You already rated this ticket; a ticket is rated once");
  return getFresh(ctx, who.actor, id, ref);
}

/** Escalates to a department or contractor, with the date it should be fixed by. */
export async function escalateTicket(ctx: Ctx, who: Writer, id: string, body: Required<TEscalateRequest>): Promise<TTicket> {
  const { row, ref, facts } = await ticketOr404(ctx, who.actor, id);
  assertCanEscalate(who.actor, facts);
  const department = await repo.findDepartment(ctx.db, who.actor.districtId, body.departmentId);
  if (!department) throw fieldError("body.departmentId", "is not a department or contractor of this district (it may have been removed)");
  if (department.status !== "active") throw fieldError("body.departmentId", `${department.name} was archived on ${department.updated_at.slice(0, 10)}; escalate to a current department or contractor`);
  if (body.dueOn < nowIso().slice(0, 10)) throw fieldError("body.dueOn", "is in the past");
  if (!NEXT_STATUSES[row.status].includes("escalated")) {
    throw fieldError("body", `a ${TICKET_STATUS_LABELS[row.status].toLowerCase()} ticket cannot be escalated: take it (In progress) first`);
  }
  const now = nowIso();
  const ok = await ctx.db.transaction().execute(async (trx) => {
    const changed = await repo.updateTicketIf(trx, id, { status: row.status }, {
      status: "escalated",
      department_id: department.id,
      escalation_due_on: body.dueOn,
      escalated_at: now,
      // The punch list shows it with the item; a later escalation without a note leaves none, not the old one.
      escalation_note: body.note || null,
    });
    if (!changed) return false;
    await repo.insertHistory(trx, id, { id: who.actor.personId }, [
      { field: "status", from: row.status, to: "escalated" },
      { field: "escalated", from: null, to: `${department.name}, due ${body.dueOn}` },
    ]);
    if (body.note) await repo.insertMessage(trx, { ticketId: id, authorId: who.actor.personId, visibility: "staff_note", body: body.note });
    await recordAudit(trx, who, { action: "helpdesk.ticket.escalate", subjectType: "helpdesk_ticket", subjectId: id, details: { departmentId: department.id, dueOn: body.dueOn } });
    return true;
  });
  if (!ok) throw new AppError("conflict", "Someone changed this ticket meanwhile; reload it and try again");
  await announceQueues(ctx, ref, [row.queue_id]);
  return getFresh(ctx, who.actor, id, ref);
}

/**
 * Marks escalated tickets fixed (resolved) in one transaction: every id must be an open escalated
 * ticket of one of `departmentIds`, or nothing changes. Each requester is told by email. The caller
 * announces `queueIds` once it has committed.
 */
export async function markFixedTx(
  ctx: Ctx,
  trx: Trx,
  by: { actorId: string | null; label: string; districtId: string; departmentIds: readonly string[] },
  ticketIds: readonly string[],
  note: string,
): Promise<{ fixed: number; notified: number; queueIds: string[] }> {
  const unique = [...new Set(ticketIds)];
  const rows = await Promise.all(unique.map((tid) => repo.findTicket(trx, by.districtId, tid)));
  rows.forEach((r, i) => {
    if (!r || r.department_id === null || !by.departmentIds.includes(r.department_id)) throw fieldError(`body.ticketIds.${i}`, "is not on your punch list");
    if (r.status !== "escalated") throw fieldError(`body.ticketIds.${i}`, `is already ${TICKET_STATUS_LABELS[r.status].toLowerCase()}`);
  });
  const now = nowIso();
  let notified = 0;
  const queueIds = new Set<string>();
  for (const [i, r] of rows.entries()) {
    if (!r) continue;
    const ok = await repo.updateTicketIf(trx, r.id, { status: "escalated" }, { status: "resolved", resolved_at: now, resolved_by: by.actorId, resolved_by_student: 0 });
    if (!ok) throw fieldError(`body.ticketIds.${i}`, "changed meanwhile; reload the punch list");
    await repo.insertHistory(trx, r.id, { id: by.actorId, label: by.label }, [{ field: "status", from: "escalated", to: "resolved" }]);
    await repo.insertMessage(trx, { ticketId: r.id, authorId: by.actorId, authorLabel: by.label, visibility: "reply", body: note || "Fixed." });
    if (await notifyResolved(ctx, trx, r, `${by.label} came back and fixed “${r.title}”${note ? `: ${note}` : "."}`)) notified++;
    queueIds.add(r.queue_id);
  }
  return { fixed: rows.length, notified, queueIds: [...queueIds] };
}

