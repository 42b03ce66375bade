import { z } from "zod";
import { singleLine, ZId, ZListQuery, ZTimestamp } from "./common.js";

// The help desk (issue 14): tickets from students and staff, worked by queues through a fixed
// workflow, rated by their requesters, escalated to departments and contractors.

export const HelpdeskLimits = {
  maxTitle: 160,
  maxDescription: 8000,
  maxLocation: 120,
  maxMessage: 8000,
  maxComment: 2000,
  /** A photo as sent, before re-encoding. */
  maxPhotoBytes: 10 * 1024 * 1024,
  /** Longest side of a stored photo, in pixels. */
  maxPhotoSide: 2048,
  maxPhotosPerTicket: 6,
  maxBulkFixed: 500,
  /** Punch-list rows in one answer (CSV and PDF included). */
  maxPunchList: 5000,
} as const;

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/gif"] as const;

export const TICKET_STATUSES = ["new", "triaged", "in_progress", "waiting", "escalated", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  triaged: "Triaged",
  in_progress: "In progress",
  waiting: "Waiting on requester",
  escalated: "Escalated",
  resolved: "Resolved",
  closed: "Closed",
};
export const OPEN_STATUSES: readonly TicketStatus[] = ["new", "triaged", "in_progress", "waiting", "escalated"];

/**
 * The workflow: from each status, the statuses a ticket may move to next. Nothing skips a step
 * (new → resolved is refused: triage it, work it, then resolve it); a resolved ticket can be
 * reopened (back to in progress) until it is closed.
 */
export const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["triaged"],
  triaged: ["in_progress"],
  in_progress: ["waiting", "escalated", "resolved"],
  waiting: ["in_progress", "resolved"],
  escalated: ["in_progress", "resolved"],
  resolved: ["closed", "in_progress"],
  closed: [],
};

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };

export const VISIBILITIES = ["reply", "note", "staff_note"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const VISIBILITY_LABELS: Record<Visibility, string> = {
  reply: "Reply to the requester",
  note: "Internal note (desk team)",
  staff_note: "Staff-only note",
};

const ZDescription = z.string().trim().min(1, "describe the problem").max(HelpdeskLimits.maxDescription);
const ZDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");

export const ZCategory = z.object({ id: ZId, key: z.string(), name: z.string() }).meta({ id: "HelpdeskCategory" });
export type TCategory = z.infer<typeof ZCategory>;

/** A category as district admins manage it (Settings): retired ones stay on old tickets but are not offered. */
export const ZCategorySetting = z
  .object({ id: ZId, key: z.string(), name: z.string(), status: z.enum(["active", "retired"]), sortOrder: z.number().int() })
  .meta({ id: "HelpdeskCategorySetting" });
/** Minutes to a first response and to resolution for one category × priority. */
export const ZSlaTarget = z
  .object({
    categoryId: ZId,
    priority: z.enum(PRIORITIES),
    responseMinutes: z.number().int().min(1).max(525_600),
    resolutionMinutes: z.number().int().min(1).max(525_600),
  })
  .meta({ id: "HelpdeskSlaTarget" });
export type TSlaTarget = z.infer<typeof ZSlaTarget>;
/** A queue as district admins manage it (Settings): a retired queue takes no new tickets; its closed ones keep it. */
export const ZQueueSetting = z
  .object({
    id: ZId,
    key: z.string(),
    name: z.string(),
    audience: z.enum(["student", "staff", "district"]),
    status: z.enum(["active", "retired"]),
    sortOrder: z.number().int(),
    /** Open tickets, counted up to OPEN_COUNT_CAP; `openCountIsCapped` when there are more. */
    openCount: z.number().int(),
    openCountIsCapped: z.boolean(),
  })
  .meta({ id: "HelpdeskQueueSetting" });
export type TQueueSetting = z.infer<typeof ZQueueSetting>;
export const ZHelpdeskSettings = z.object({ categories: z.array(ZCategorySetting), queues: z.array(ZQueueSetting), sla: z.array(ZSlaTarget) }).meta({ id: "HelpdeskSettings" });
export type THelpdeskSettings = z.infer<typeof ZHelpdeskSettings>;
export const ZCreateCategoryRequest = z.strictObject({ name: singleLine({ max: 80 }) }).meta({ id: "CreateHelpdeskCategoryRequest" });
export const ZUpdateCategoryRequest = z
  .strictObject({ name: singleLine({ max: 80 }).optional(), status: z.enum(["active", "retired"]).optional(), sortOrder: z.number().int().min(0).max(1000).optional() })
  .meta({ id: "UpdateHelpdeskCategoryRequest" });
export const QUEUE_AUDIENCES = ["student", "staff", "district"] as const;
export const ZCreateQueueRequest = z
  .strictObject({ name: singleLine({ max: 80 }), audience: z.enum(QUEUE_AUDIENCES).describe("Who files into it: student (student assistants work it), staff, or district") })
  .meta({ id: "CreateHelpdeskQueueRequest" });
export const ZUpdateQueueRequest = z
  .strictObject({
    name: singleLine({ max: 80 }).optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
    status: z.enum(["active", "retired"]).optional(),
    moveToQueueId: ZId.optional().describe("Retiring a queue that has open tickets: the active queue of the same audience they move to (without it, 409)"),
  })
  .meta({ id: "UpdateHelpdeskQueueRequest" });
export const ZSetSlaTargetsRequest = z
  .strictObject({ targets: z.array(ZSlaTarget.strict()).min(1).max(400) })
  .superRefine((b, ctx) => {
    b.targets.forEach((t, i) => {
      if (t.resolutionMinutes < t.responseMinutes) ctx.addIssue({ code: "custom", path: ["targets", i, "resolutionMinutes"], message: "must be at least the minutes to a first response" });
    });
  })
  .meta({ id: "SetHelpdeskSlaTargetsRequest" });

/** Counts on the queue page stop here ("1,000+"): an exact count of a backlog costs a walk over all of it. */
export const OPEN_COUNT_CAP = 1000;

export const ZQueue = z
  .object({
    id: ZId,
    key: z.string(),
    name: z.string(),
    audience: z.enum(["student", "staff", "district"]),
    /** A retired queue is listed only while it still holds open tickets (to be worked or moved). */
    status: z.enum(["active", "retired"]),
    members: z.array(z.object({ id: ZId, name: z.string() })),
    /** Open tickets, counted up to OPEN_COUNT_CAP; `openCountIsCapped` when there are more. */
    openCount: z.number().int(),
    openCountIsCapped: z.boolean(),
  })
  .meta({ id: "HelpdeskQueue" });
export type TQueue = z.infer<typeof ZQueue>;

export const ZCreateTicketRequest = z
  .strictObject({
    schoolId: ZId,
    categoryKey: z.string().trim().min(1).max(40),
    priority: z.enum(PRIORITIES).default("normal"),
    title: singleLine({ max: HelpdeskLimits.maxTitle }).optional().describe("A short summary; the category and the description's first line when left out"),
    description: ZDescription,
    location: z.string().trim().max(HelpdeskLimits.maxLocation).default("").describe("Room or place, e.g. Room 114"),
    requesterId: ZId.optional().describe("Someone else's ticket (a student at the kiosk, a teacher on the phone); desk members only"),
    studentNumber: z.string().trim().min(1).max(40).optional().describe("The kiosk: the student's ID, scanned or typed, instead of requesterId"),
    assetId: ZId.nullable().optional().describe("The device, when known (devices module)"),
    clientRef: z.string().trim().min(8).max(64).optional().describe("A retry with the same key returns the first ticket"),
    sendToRepair: z.boolean().optional().describe("Also send the device (assetId) to repair in the same write; for those who manage devices at its school"),
  })
  .meta({ id: "CreateTicketRequest" });
export type TCreateTicketRequest = z.input<typeof ZCreateTicketRequest>;
export type TCreateTicketBody = z.output<typeof ZCreateTicketRequest>;

export const ZTicketMessage = z
  .object({ id: ZId, authorId: ZId.nullable(), authorName: z.string(), visibility: z.enum(VISIBILITIES), body: z.string(), createdAt: ZTimestamp })
  .meta({ id: "TicketMessage" });
export type TTicketMessage = z.infer<typeof ZTicketMessage>;

export const ZTicketHistory = z
  .object({ id: ZId, actorName: z.string(), field: z.string(), from: z.string().nullable(), to: z.string().nullable(), createdAt: ZTimestamp })
  .meta({ id: "TicketHistoryEntry" });

export const ZAttachment = z
  .object({ id: ZId, contentType: z.string(), byteSize: z.number().int(), width: z.number().int(), height: z.number().int(), url: z.string(), createdAt: ZTimestamp })
  .meta({ id: "TicketAttachment" });
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZSla = z.object({
  responseDueAt: ZTimestamp,
  resolutionDueAt: ZTimestamp,
  responseBreached: z.boolean().describe("No first response by its due time (or a late one)"),
  resolutionBreached: z.boolean(),
});

export const ZTicketSummary = z
  .object({
    id: ZId,
    title: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(PRIORITIES),
    category: ZCategory,
    queueId: ZId,
    queueName: z.string(),
    schoolId: ZId,
    schoolName: z.string(),
    location: z.string(),
    requesterId: ZId,
    requesterName: z.string(),
    assigneeId: ZId.nullable(),
    assigneeName: z.string().nullable(),
    assetId: ZId.nullable(),
    departmentId: ZId.nullable(),
    sla: ZSla,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "TicketSummary" });
export type TTicketSummary = z.infer<typeof ZTicketSummary>;

/** The ticket's device (devices module), as shown on the ticket. */
export const ZTicketDevice = z
  .object({ id: ZId, tag: z.string(), modelName: z.string(), status: z.string().describe("The devices module's status, e.g. in_repair"), schoolName: z.string().nullable() })
  .meta({ id: "TicketDevice" });
export type TTicketDevice = z.infer<typeof ZTicketDevice>;

export const ZSendToRepairRequest = z.strictObject({ note: z.string().trim().max(2000).default("") }).meta({ id: "SendToRepairRequest" });

export const ZTicket = ZTicketSummary.extend({
  device: ZTicketDevice.nullable().describe("The device the ticket is about, when it names one that still exists"),
  description: z.string(),
  via: z.enum(["web", "kiosk", "api", "module"]),
  createdById: ZId,
  department: z.object({ id: ZId, name: z.string(), kind: z.enum(["department", "contractor"]) }).nullable(),
  escalationDueOn: z.string().nullable(),
  firstResponseAt: ZTimestamp.nullable(),
  resolvedAt: ZTimestamp.nullable(),
  closedAt: ZTimestamp.nullable(),
  rating: z.object({ score: z.number().int(), comment: z.string(), ratedAt: ZTimestamp }).nullable(),
  messages: z.array(ZTicketMessage),
  history: z.array(ZTicketHistory),
  attachments: z.array(ZAttachment),
  can: z.object({
    work: z.boolean().describe("Take, change status, reply and note"),
    seeStaffNotes: z.boolean(),
    rate: z.boolean(),
    reply: z.boolean(),
    escalate: z.boolean(),
    attach: z.boolean(),
    sendToRepair: z.boolean().describe("Send the ticket's device to repair (those who manage devices at its school, while it can go)"),
  }),
  nextStatuses: z.array(z.enum(TICKET_STATUSES)),
}).meta({ id: "Ticket" });
export type TTicket = z.infer<typeof ZTicket>;

export const ZListTicketsQuery = ZListQuery.extend({
  mine: z.enum(["requested", "assigned"]).optional().describe("requested: tickets you filed (or were filed for you); assigned: tickets you hold"),
  queueId: ZId.optional(),
  status: z.enum(["open", "done", "all", ...TICKET_STATUSES]).default("open"),
  schoolId: ZId.optional(),
  requesterId: ZId.optional().describe("The desk: one requester's tickets (the kiosk, after scanning a student's ID)"),
});
export type TListTicketsQuery = z.infer<typeof ZListTicketsQuery>;

export const ZUpdateTicketRequest = z
  .strictObject({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    categoryKey: z.string().trim().min(1).max(40).optional(),
    queueId: ZId.optional(),
    assigneeId: ZId.nullable().optional().describe("Assign to a member of the ticket's queue, or null to release"),
  })
  .meta({ id: "UpdateTicketRequest" });
export type TUpdateTicketRequest = z.infer<typeof ZUpdateTicketRequest>;

export const ZAddMessageRequest = z
  .strictObject({ visibility: z.enum(VISIBILITIES).default("reply"), body: z.string().trim().min(1).max(HelpdeskLimits.maxMessage) })
  .meta({ id: "AddTicketMessageRequest" });
export type TAddMessageRequest = z.input<typeof ZAddMessageRequest>;

export const ZRateRequest = z
  .strictObject({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(HelpdeskLimits.maxComment).default("") })
  .meta({ id: "RateTicketRequest" });
export type TRateRequest = z.input<typeof ZRateRequest>;

export const ZEscalateRequest = z
  .strictObject({
    departmentId: ZId,
    dueOn: ZDate,
    note: z.string().trim().max(HelpdeskLimits.maxMessage).default("").describe("What the department or contractor should know: shown with the item on the punch list, and kept as a staff note on the ticket"),
  })
  .meta({ id: "EscalateTicketRequest" });
export type TEscalateRequest = z.input<typeof ZEscalateRequest>;

export const ZCannedReply = z.object({ id: ZId, title: z.string(), body: z.string() }).meta({ id: "CannedReply" });
export type TCannedReply = z.infer<typeof ZCannedReply>;
export const ZCreateCannedReplyRequest = z.strictObject({ title: singleLine({ max: 120 }), body: z.string().trim().min(1).max(HelpdeskLimits.maxMessage) });

export const ZSetMembersRequest = z.strictObject({ personIds: z.array(ZId).max(500) }).meta({ id: "SetQueueMembersRequest" });

export const ZContact = z
  .object({ id: ZId, name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), personId: ZId.nullable(), hasLink: z.boolean() })
  .meta({ id: "HelpdeskContact" });
export const ZDepartment = z
  .object({
    id: ZId,
    name: z.string(),
    kind: z.enum(["department", "contractor"]),
    status: z.enum(["active", "archived"]),
    contacts: z.array(ZContact),
    openCount: z.number().int(),
  })
  .meta({ id: "HelpdeskDepartment" });
export type TDepartment = z.infer<typeof ZDepartment>;
export const ZCreateDepartmentRequest = z.strictObject({ name: singleLine({ max: 120 }), kind: z.enum(["department", "contractor"]) });
export const ZUpdateDepartmentRequest = z.strictObject({ name: singleLine({ max: 120 }).optional(), status: z.enum(["active", "archived"]).optional() });
export const ZCreateContactRequest = z.strictObject({
  name: singleLine({ max: 120 }),
  email: z.email().max(254).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
  personId: ZId.nullable().default(null).describe("A district employee who signs in and marks the department's items fixed"),
});
export const ZContactLink = z.object({ contactId: ZId, url: z.string(), token: z.string().describe("Shown once; only its hash is kept") }).meta({ id: "HelpdeskContactLink" });

export const ZPunchItem = z
  .object({
    ticketId: ZId,
    title: z.string(),
    category: z.string(),
    description: z.string(),
    schoolId: ZId,
    schoolName: z.string(),
    location: z.string(),
    departmentId: ZId,
    departmentName: z.string(),
    departmentKind: z.enum(["department", "contractor"]),
    dueOn: z.string().nullable(),
    isOverdue: z.boolean(),
    escalatedAt: ZTimestamp.nullable(),
    escalationNote: z.string().nullable().describe("What the staff wrote for the department or contractor when they escalated it; null when they wrote nothing"),
  })
  .meta({ id: "PunchListItem" });
export type TPunchItem = z.infer<typeof ZPunchItem>;
export const ZPunchList = z
  .object({
    groups: z.array(
      z.object({
        departmentId: ZId,
        departmentName: z.string(),
        kind: z.enum(["department", "contractor"]),
        schools: z.array(z.object({ schoolId: ZId, schoolName: z.string(), rooms: z.array(z.object({ location: z.string(), items: z.array(ZPunchItem) })) })),
      }),
    ),
    total: z.number().int(),
  })
  .meta({ id: "PunchList" });
export type TPunchList = z.infer<typeof ZPunchList>;
export const ZPunchListQuery = z.object({ departmentId: ZId.optional(), schoolId: ZId.optional() });
export const ZMarkFixedRequest = z
  .strictObject({ ticketIds: z.array(ZId).min(1).max(HelpdeskLimits.maxBulkFixed), note: z.string().trim().max(HelpdeskLimits.maxMessage).default("") })
  .meta({ id: "MarkFixedRequest" });
export const ZMarkFixedResponse = z.object({ fixed: z.number().int(), notified: z.number().int() });

export const ZScoreRow = z.object({
  id: ZId,
  name: z.string(),
  isStudent: z.boolean(),
  tickets: z.number().int(),
  resolved: z.number().int(),
  ratings: z.number().int(),
  averageRating: z.number().nullable(),
  medianFirstResponseMinutes: z.number().nullable(),
  medianResolutionMinutes: z.number().nullable(),
});
export const ZScores = z
  .object({ assistants: z.array(ZScoreRow), queues: z.array(ZScoreRow), comments: z.array(z.object({ ticketId: ZId, score: z.number().int(), comment: z.string(), assigneeName: z.string().nullable(), ratedAt: ZTimestamp })) })
  .meta({ id: "HelpdeskScores" });
export type TScores = z.infer<typeof ZScores>;
export const ZReportQuery = z.object({ from: ZDate.optional(), to: ZDate.optional(), schoolId: ZId.optional() });
export type TReportQuery = z.infer<typeof ZReportQuery>;
export const ZReport = z
  .object({
    from: z.string(),
    to: z.string(),
    total: z.number().int(),
    byCategory: z.array(z.object({ key: z.string(), name: z.string(), count: z.number().int() })),
    bySchool: z.array(z.object({ schoolId: ZId, schoolName: z.string(), count: z.number().int() })),
    byWeek: z.array(z.object({ week: z.string(), count: z.number().int() })),
    resolved: z.number().int(),
    resolvedByStudents: z.number().int(),
    studentShare: z.number().nullable().describe("Resolved tickets a student assistant resolved, 0–1"),
    medianFirstResponseMinutes: z.number().nullable(),
    medianResolutionMinutes: z.number().nullable(),
    responseBreaches: z.number().int(),
    topProblems: z.array(z.object({ category: z.string(), schoolName: z.string(), location: z.string(), count: z.number().int() })),
  })
  .meta({ id: "HelpdeskReport" });
export type TReport = z.infer<typeof ZReport>;

export const ZKioskStudent = z.object({ id: ZId, name: z.string(), gradeLevel: z.string().nullable(), schoolIds: z.array(ZId) }).meta({ id: "KioskStudent" });
export type TKioskStudent = z.infer<typeof ZKioskStudent>;
