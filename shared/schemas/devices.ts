import { z } from "zod";
import { ZDate } from "./coaching.js";
import { ZId, ZListQuery, ZSearch, ZTimestamp, singleLine } from "./common.js";

// The devices module (issue 15): inventory, assignment, rollouts and pickup stations, lifecycle, bookings.

export const DeviceLimits = {
  maxTag: 40,
  maxSerial: 80,
  maxImportBytes: 12 * 1024 * 1024,
  maxImportRows: 200_000,
  /** Import problems reported line by line; past this, counted. */
  maxReportedErrors: 500,
  maxBulk: 1000,
  maxLabels: 300,
  maxRuleAssign: 5000,
} as const;

export const DEVICE_KINDS = ["laptop", "tablet", "hotspot", "charger", "other"] as const;
export const ASSET_STATUSES = ["in_stock", "assigned", "loaner", "in_repair", "lost", "stolen", "retired"] as const;
export type TAssetStatus = (typeof ASSET_STATUSES)[number];
export const ASSET_STATUS_LABELS: Record<TAssetStatus, string> = {
  in_stock: "In stock",
  assigned: "Assigned",
  loaner: "Out on loan",
  in_repair: "In repair",
  lost: "Lost",
  stolen: "Stolen",
  retired: "Retired",
};
/** Check-in condition grades. */
export const CONDITIONS = ["A", "B", "C", "D"] as const;
export const CONDITION_LABELS: Record<(typeof CONDITIONS)[number], string> = { A: "A — like new", B: "B — normal wear", C: "C — damaged, works", D: "D — broken" };
export const RESOURCE_KINDS = ["cart", "lab", "makerspace", "other"] as const;

/**
 * A scanned or typed tag as stored: a USB scanner may add a symbology prefix (]C0) or stray
 * characters around the code, and a person typing adds spaces and lower case. We keep letters,
 * digits and inner - . / only, upper-cased.
 */
export function normaliseTag(raw: string): string {
  let s = raw.trim().replace(/^\][A-Za-z]\d/, "");
  s = s.replace(/\s+/g, "").toUpperCase();
  s = s.replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, "");
  return s.replace(/[^A-Z0-9\-./]/g, "");
}

/** A grade as compared: "09" (OneRoster) and "9" (a spreadsheet) are the same grade. */
export const gradeKey = (grade: string): string => grade.trim().toUpperCase().replace(/^0+(?=\d)/, "");
/** The spellings a grade may be stored under, for an `in` filter. */
export const gradeSpellings = (grades: readonly string[]): string[] => [...new Set(grades.flatMap((g) => [g, gradeKey(g), /^\d$/.test(gradeKey(g)) ? `0${gradeKey(g)}` : gradeKey(g)]))];

const ZTag = z.string().max(DeviceLimits.maxTag * 2).transform(normaliseTag).pipe(z.string().min(1, "is empty once spaces and scanner noise are removed").max(DeviceLimits.maxTag));

export const ZDeviceModel = z
  .object({ id: ZId, name: z.string(), maker: z.string(), kind: z.enum(DEVICE_KINDS), assets: z.number().int() })
  .meta({ id: "DeviceModel" });
export type TDeviceModel = z.infer<typeof ZDeviceModel>;
export const ZCreateDeviceModelRequest = z.strictObject({ name: singleLine({ max: 120 }), maker: singleLine({ max: 120, min: 0 }).default(""), kind: z.enum(DEVICE_KINDS) });

export const ZAssetAssignee = z.object({ personId: ZId, name: z.string(), kind: z.enum(["assigned", "loaner"]), since: ZTimestamp, dueOn: ZDate.nullable() });
export const ZAsset = z
  .object({
    id: ZId,
    tag: z.string(),
    serial: z.string(),
    modelId: ZId,
    modelName: z.string(),
    kind: z.enum(DEVICE_KINDS),
    status: z.enum(ASSET_STATUSES),
    isLoaner: z.boolean(),
    schoolId: ZId.nullable(),
    schoolName: z.string().nullable(),
    room: z.string(),
    purchaseDate: ZDate.nullable(),
    warrantyEnd: ZDate.nullable(),
    fundingSource: z.string(),
    notes: z.string(),
    condition: z.enum(CONDITIONS).nullable(),
    assignee: ZAssetAssignee.nullable(),
    updatedAt: ZTimestamp,
  })
  .meta({ id: "Asset" });
export type TAsset = z.infer<typeof ZAsset>;

export const ZDeviceEvent = z
  .object({ id: ZId, kind: z.string(), at: ZTimestamp, actorName: z.string().nullable(), personId: ZId.nullable(), personName: z.string().nullable(), assetId: ZId, tag: z.string(), details: z.record(z.string(), z.unknown()) })
  .meta({ id: "DeviceEvent" });
export type TDeviceEvent = z.infer<typeof ZDeviceEvent>;
export const ZRepair = z
  .object({ id: ZId, assetId: ZId, vendor: z.string(), costCents: z.number().int().nullable(), ticketId: ZId.nullable(), note: z.string(), openedOn: ZDate, closedOn: ZDate.nullable() })
  .meta({ id: "DeviceRepair" });
export type TRepair = z.infer<typeof ZRepair>;
/** A help desk ticket linked to the device: named by one of its repairs, or filed about it. */
export const ZLinkedTicket = z
  .object({ id: ZId, title: z.string(), status: z.string().describe("The help desk's status, e.g. in_progress"), open: z.boolean() })
  .meta({ id: "LinkedTicket" });
export type TLinkedTicket = z.infer<typeof ZLinkedTicket>;
export const ZAssetDetail = ZAsset.extend({
  history: z.array(ZDeviceEvent),
  repairs: z.array(ZRepair),
  tickets: z.array(ZLinkedTicket).describe("Help desk tickets about this device: the open ones, and any a repair names"),
  canManage: z.boolean(),
}).meta({ id: "AssetDetail" });
export type TAssetDetail = z.infer<typeof ZAssetDetail>;

export const ZListAssetsQuery = ZListQuery.extend({
  q: ZSearch.optional().describe("Tag or serial prefix, or the assignee's student number"),
  status: z.enum(ASSET_STATUSES).optional(),
  modelId: ZId.optional(),
  schoolId: z.union([ZId, z.literal("none")]).optional().describe('"none": the district\'s devices with no school'),
  isLoaner: z.enum(["true", "false"]).optional(),
});
export type TListAssetsQuery = z.infer<typeof ZListAssetsQuery>;

const assetFields = {
  modelId: ZId,
  schoolId: ZId.nullable(),
  room: singleLine({ max: 60, min: 0 }),
  purchaseDate: ZDate.nullable(),
  warrantyEnd: ZDate.nullable(),
  fundingSource: singleLine({ max: 120, min: 0 }),
  notes: z.string().max(2000),
  isLoaner: z.boolean(),
};
export const ZCreateAssetRequest = z.strictObject({
  tag: ZTag,
  serial: singleLine({ max: DeviceLimits.maxSerial }),
  ...assetFields,
  schoolId: ZId.nullable().default(null),
  room: assetFields.room.default(""),
  purchaseDate: ZDate.nullable().default(null),
  warrantyEnd: ZDate.nullable().default(null),
  fundingSource: assetFields.fundingSource.default(""),
  notes: assetFields.notes.default(""),
  isLoaner: z.boolean().default(false),
});
export type TCreateAssetRequest = z.infer<typeof ZCreateAssetRequest>;
/** Fields every edit may change; status only to lost, stolen, retired or back in stock (assignment and repair have their own routes). */
export const ZAssetChanges = z.strictObject({
  modelId: assetFields.modelId.optional(),
  schoolId: assetFields.schoolId.optional(),
  room: assetFields.room.optional(),
  purchaseDate: assetFields.purchaseDate.optional(),
  warrantyEnd: assetFields.warrantyEnd.optional(),
  fundingSource: assetFields.fundingSource.optional(),
  notes: assetFields.notes.optional(),
  isLoaner: assetFields.isLoaner.optional(),
  status: z.enum(["in_stock", "lost", "stolen", "retired"]).optional(),
});
export type TAssetChanges = z.infer<typeof ZAssetChanges>;
export const ZBulkEditRequest = z.strictObject({ ids: z.array(ZId).min(1).max(DeviceLimits.maxBulk), changes: ZAssetChanges });
export const ZBulkEditResult = z.object({ updated: z.number().int() });

export const ZImportQuery = z.object({
  dryRun: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  schoolId: ZId.optional().describe("The school the shipment goes to (none: the district's stock)"),
  fundingSource: z.string().max(120).optional(),
  purchaseDate: ZDate.optional(),
});
export const ZImportIssue = z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() });
export const ZAssetImportReport = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    rows: z.number().int(),
    created: z.number().int(),
    unchanged: z.number().int().describe("Lines already in the inventory as they are (a re-import of the same file)"),
    errors: z.array(ZImportIssue),
    errorCount: z.number().int(),
  })
  .meta({ id: "AssetImportReport" });
export type TAssetImportReport = z.infer<typeof ZAssetImportReport>;

export const ZAssignRequest = z.strictObject({ personId: ZId, kind: z.enum(["assigned", "loaner"]).default("assigned"), dueOn: ZDate.nullable().default(null) });
export const ZReturnRequest = z.strictObject({ condition: z.enum(CONDITIONS).nullable().default(null), note: z.string().max(500).default("") });
export const ZCheckInRequest = z.strictObject({ tag: ZTag, condition: z.enum(CONDITIONS) });
export const ZCheckInResult = z.object({ asset: ZAsset, returnedBy: z.string().nullable() }).meta({ id: "CheckInResult" });
export const ZRuleAssignRequest = z.strictObject({ schoolId: ZId, grade: z.string().min(1).max(4), modelId: ZId, dryRun: z.boolean().default(true) });
export const ZRuleAssignResult = z
  .object({ dryRun: z.boolean(), students: z.number().int(), alreadyHave: z.number().int(), assigned: z.number().int(), shortBy: z.number().int().describe("Students left without a device because the pool ran out") })
  .meta({ id: "RuleAssignResult" });

export const ZPersonDevices = z
  .object({ personId: ZId, current: z.array(ZAsset), history: z.array(ZDeviceEvent) })
  .meta({ id: "PersonDevices" });
export type TPersonDevices = z.infer<typeof ZPersonDevices>;
export const ZToCollect = z
  .object({ items: z.array(z.object({ asset: ZAsset, personId: ZId, personName: z.string(), since: ZTimestamp })) })
  .meta({ id: "DevicesToCollect" });

export const ZOverdueLoansQuery = z.strictObject({ schoolId: ZId.optional().describe("Only this school's loans (one of yours)") });
export const ZOverdueLoan = z.object({
  asset: ZAsset,
  personId: ZId,
  personName: z.string(),
  schoolId: ZId.nullable(),
  schoolName: z.string().nullable().describe("The loan's school; null: the district's stock"),
  dueOn: ZDate,
  daysOverdue: z.number().int().min(1),
});
export type TOverdueLoan = z.infer<typeof ZOverdueLoan>;
export const ZOverdueLoans = z.object({ items: z.array(ZOverdueLoan), totalIsCapped: z.boolean() }).meta({ id: "DevicesOverdueLoans" });
export type TOverdueLoans = z.infer<typeof ZOverdueLoans>;

export const ZOpenRepairRequest = z.strictObject({
  vendor: singleLine({ max: 120, min: 0 }).default(""),
  costCents: z.number().int().min(0).nullable().default(null),
  ticketId: ZId.nullable().default(null),
  openTicket: z.boolean().default(false).describe("With no ticketId: also open a help desk ticket (Broken or damaged) linked to the repair, for the device's holder or else you"),
  note: z.string().max(2000).default(""),
  openedOn: ZDate.optional(),
});
export const ZCloseRepairRequest = z.strictObject({ closedOn: ZDate, costCents: z.number().int().min(0).nullable().optional() });

// ---- Rollouts and stations ----
export const ZRolloutStep = z.object({ key: z.string().regex(/^[a-z0-9_]{1,40}$/), label: singleLine({ max: 80 }) });
export const DEFAULT_STEPS = [
  { key: "account", label: "Account created" },
  { key: "video", label: "Intro video watched" },
  { key: "basics", label: "Basics explained" },
  { key: "agreement", label: "Agreement signed" },
];
export const ZRollout = z
  .object({
    id: ZId,
    name: z.string(),
    schoolIds: z.array(ZId),
    grades: z.array(z.string()),
    modelIds: z.array(ZId),
    steps: z.array(ZRolloutStep),
    stations: z.array(z.string()),
    startsOn: ZDate,
    endsOn: ZDate,
    canManage: z.boolean(),
    canRunStation: z.boolean(),
    canSeeBoard: z.boolean(),
  })
  .meta({ id: "Rollout" });
export type TRollout = z.infer<typeof ZRollout>;
export const ZCreateRolloutRequest = z.strictObject({
  name: singleLine({ max: 120 }),
  schoolIds: z.array(ZId).min(1).max(50),
  grades: z.array(z.string().min(1).max(4)).min(1).max(20),
  modelIds: z.array(ZId).min(1).max(20),
  steps: z.array(ZRolloutStep).max(12).default(DEFAULT_STEPS),
  stations: z.array(singleLine({ max: 40 })).min(1).max(60),
  startsOn: ZDate,
  endsOn: ZDate,
});
export type TCreateRolloutRequest = z.infer<typeof ZCreateRolloutRequest>;

export const ZStationLookupQuery = z.object({ q: z.string().trim().min(1).max(100) });
/** Exactly what a station shows of a student: nothing else leaves the server. */
export const ZStationStudent = z
  .object({ id: ZId, name: z.string(), grade: z.string().nullable(), photoUrl: z.string().nullable(), device: z.object({ tag: z.string(), modelName: z.string() }).nullable(), pickedUp: z.boolean() })
  .meta({ id: "StationStudent" });
export type TStationStudent = z.infer<typeof ZStationStudent>;
export const ZStationLookup = z.object({ items: z.array(ZStationStudent).max(8) }).meta({ id: "StationLookup" });
export const ZPickupRequest = z.strictObject({ studentId: ZId, tag: ZTag, station: singleLine({ max: 40 }), steps: z.array(z.string().max(40)).max(12) });
export const ZPickupResult = z.object({ student: ZStationStudent, tag: z.string(), modelName: z.string(), at: ZTimestamp }).meta({ id: "PickupResult" });
export type TPickupResult = z.infer<typeof ZPickupResult>;

const ZCount = z.object({ key: z.string(), label: z.string(), pickedUp: z.number().int(), remaining: z.number().int() });
export const ZBoard = z
  .object({
    rolloutId: ZId,
    pickedUp: z.number().int(),
    remaining: z.number().int(),
    bySchool: z.array(ZCount),
    byGrade: z.array(ZCount),
    byStation: z.array(z.object({ station: z.string(), pickedUp: z.number().int() })),
    toCome: z.array(z.object({ id: ZId, name: z.string(), grade: z.string().nullable(), schoolName: z.string() })),
    toComeTotal: z.number().int(),
  })
  .meta({ id: "RolloutBoard" });
export type TBoard = z.infer<typeof ZBoard>;

// ---- Bookings ----
export const ZResource = z
  .object({ id: ZId, schoolId: ZId, schoolName: z.string(), name: z.string(), kind: z.enum(RESOURCE_KINDS), feedUrl: z.string().nullable(), canManage: z.boolean() })
  .meta({ id: "BookableResource" });
export type TResource = z.infer<typeof ZResource>;
export const ZCreateResourceRequest = z.strictObject({ schoolId: ZId, name: singleLine({ max: 120 }), kind: z.enum(RESOURCE_KINDS) });
export const ZBooking = z
  .object({ id: ZId, resourceId: ZId, title: z.string(), startsAt: ZTimestamp, endsAt: ZTimestamp, bookedBy: ZId, bookedByName: z.string(), canCancel: z.boolean() })
  .meta({ id: "Booking" });
export type TBooking = z.infer<typeof ZBooking>;
export const ZBookingsQuery = z.object({ from: z.iso.datetime(), to: z.iso.datetime() });
export const ZCreateBookingRequest = z
  .strictObject({ title: singleLine({ max: 120 }), startsAt: z.iso.datetime(), endsAt: z.iso.datetime() })
  .refine((b) => b.endsAt > b.startsAt, { path: ["endsAt"], message: "must be after the start" });
export const ZFeedQuery = z.object({ token: z.string().max(100) });
