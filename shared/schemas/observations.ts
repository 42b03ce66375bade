import { z } from "zod";
import { ObservationLimits } from "../limits.js";
import { singleLine, ZId, ZListQuery, ZTimestamp } from "./common.js";

// Classroom observations scored on a rubric (issue 13). A rubric version is a document: its
// dimensions (the TIM's characteristics), its ordered levels and one descriptor per cell.

export const ZDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");
const ZKey = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_]*$/, "must be lower-case letters, digits and _ (starting with a letter)");

export const ZRubricDimension = z.strictObject({ key: ZKey, name: singleLine({ max: 80 }), description: z.string().trim().max(ObservationLimits.maxDescriptor).default("") });
export const ZRubricLevel = z.strictObject({ key: ZKey, name: singleLine({ max: 80 }), description: z.string().trim().max(ObservationLimits.maxDescriptor).default("") });

/** A rubric version's document: dimensions × ordered levels, with a short descriptor per cell. */
export const ZRubricDefinition = z
  .strictObject({
    dimensions: z.array(ZRubricDimension).min(1).max(ObservationLimits.maxDimensions),
    levels: z.array(ZRubricLevel).min(2).max(ObservationLimits.maxLevels).describe("In order, lowest first: a level's rank is its position + 1"),
    descriptors: z
      .record(z.string(), z.array(z.string().trim().max(ObservationLimits.maxDescriptor)))
      .describe("For each dimension key, one descriptor per level, in the levels' order"),
  })
  .superRefine((d, ctx) => {
    const dup = (keys: string[]) => keys.findIndex((k, i) => keys.indexOf(k) !== i);
    const dd = dup(d.dimensions.map((x) => x.key));
    if (dd >= 0) ctx.addIssue({ code: "custom", path: ["dimensions", dd, "key"], message: "is used by another dimension" });
    const dl = dup(d.levels.map((x) => x.key));
    if (dl >= 0) ctx.addIssue({ code: "custom", path: ["levels", dl, "key"], message: "is used by another level" });
    for (const dim of d.dimensions) {
      const cells = d.descriptors[dim.key];
      if (!cells || cells.length !== d.levels.length) {
        ctx.addIssue({ code: "custom", path: ["descriptors", dim.key], message: `needs one descriptor per level (${d.levels.length})` });
      }
    }
    for (const key of Object.keys(d.descriptors)) {
      if (!d.dimensions.some((x) => x.key === key)) ctx.addIssue({ code: "custom", path: ["descriptors", key], message: "is not one of the dimensions" });
    }
  })
  .meta({ id: "RubricDefinition" });
export type TRubricDefinition = z.infer<typeof ZRubricDefinition>;

export const ZRubricVersion = z
  .object({
    id: ZId,
    rubricId: ZId,
    rubricName: z.string(),
    version: z.number().int(),
    definition: ZRubricDefinition,
    isFrozen: z.boolean().describe("Used by an observation: editing the rubric makes a new version instead"),
    createdAt: ZTimestamp,
  })
  .meta({ id: "RubricVersion" });
export type TRubricVersion = z.infer<typeof ZRubricVersion>;

export const ZRubric = z
  .object({
    id: ZId,
    key: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(["active", "retired"]),
    isDefault: z.boolean(),
    currentVersion: ZRubricVersion,
  })
  .meta({ id: "Rubric" });
export type TRubric = z.infer<typeof ZRubric>;

export const ZCreateRubricRequest = z.strictObject({
  name: singleLine({ max: 120 }),
  description: z.string().trim().max(ObservationLimits.maxText).default(""),
  definition: ZRubricDefinition,
});
export type TCreateRubricRequest = z.infer<typeof ZCreateRubricRequest>;

export const ZUpdateRubricRequest = z.strictObject({
  name: singleLine({ max: 120 }).optional(),
  description: z.string().trim().max(ObservationLimits.maxText).optional(),
  status: z.enum(["active", "retired"]).optional(),
  isDefault: z.literal(true).optional().describe("Make this the rubric new observations start with"),
  definition: ZRubricDefinition.optional().describe("A used version is frozen: a new definition then becomes a new version"),
});
export type TUpdateRubricRequest = z.infer<typeof ZUpdateRubricRequest>;

export const ZApp = z.object({ id: ZId, name: z.string(), status: z.enum(["active", "retired"]) }).meta({ id: "ObservationApp" });
export type TApp = z.infer<typeof ZApp>;
export const ZCreateAppRequest = z.strictObject({ name: singleLine({ max: ObservationLimits.maxTechnologyName }) });

/** OneRoster grade codes an observation may name. */
export const GRADES = ["PK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  PK: "Pre-K",
  KG: "Kindergarten",
  "01": "Grade 1",
  "02": "Grade 2",
  "03": "Grade 3",
  "04": "Grade 4",
  "05": "Grade 5",
  "06": "Grade 6",
  "07": "Grade 7",
  "08": "Grade 8",
  "09": "Grade 9",
  "10": "Grade 10",
  "11": "Grade 11",
  "12": "Grade 12",
};
export const GRADE_BANDS = ["PK-2", "3-5", "6-8", "9-12"] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];

/** The band a grade reports in (roll-ups group by band). */
export function gradeBandOf(grade: Grade): GradeBand {
  switch (grade) {
    case "PK":
    case "KG":
    case "01":
    case "02":
      return "PK-2";
    case "03":
    case "04":
    case "05":
      return "3-5";
    case "06":
    case "07":
    case "08":
      return "6-8";
    case "09":
    case "10":
    case "11":
    case "12":
      return "9-12";
  }
}

export const OBSERVATION_STATUSES = ["draft", "submitted", "shared"] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];
export const OBSERVATION_STATUS_LABELS: Record<ObservationStatus, string> = { draft: "Draft", submitted: "Submitted", shared: "Shared with the teacher" };

const ZRef = z.object({ id: ZId, name: z.string() });

export const ZTechnology = z.strictObject({
  appId: ZId.nullable().default(null).describe("An app of the district's list, or null for free text"),
  name: singleLine({ max: ObservationLimits.maxTechnologyName }),
});

export const ZObservationComment = z.object({ id: ZId, author: ZRef, body: z.string(), createdAt: ZTimestamp });

export const ZObservation = z
  .object({
    id: ZId,
    clientRef: z.string().nullable(),
    status: z.enum(OBSERVATION_STATUSES),
    school: ZRef,
    observer: ZRef,
    teacher: ZRef,
    subject: z.string(),
    grade: z.enum(GRADES).nullable(),
    gradeBand: z.enum(GRADE_BANDS).nullable(),
    date: ZDate,
    startTime: z.string().nullable(),
    durationMinutes: z.number().int().nullable(),
    rubric: z.object({ id: ZId, name: z.string(), versionId: ZId, version: z.number().int() }),
    levels: z.record(z.string(), z.string().nullable()).describe("Level key per dimension key; null: not observed"),
    technology: z.array(z.object({ appId: ZId.nullable(), name: z.string() })),
    evidence: z.string(),
    feedback: z.string(),
    nextStep: z.string(),
    cycleId: ZId.nullable(),
    coachingEntryId: ZId.nullable(),
    comments: z.array(ZObservationComment),
    receivedAt: ZTimestamp.describe("When the server first received it (the device's clock is not trusted)"),
    submittedAt: ZTimestamp.nullable(),
    sharedAt: ZTimestamp.nullable(),
    acknowledgedAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    can: z.object({ edit: z.boolean(), delete: z.boolean(), acknowledge: z.boolean(), comment: z.boolean() }).describe("What the caller may do with it"),
  })
  .meta({ id: "Observation" });
export type TObservation = z.infer<typeof ZObservation>;

const ZStartTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day, HH:MM");
const longText = () => z.string().max(ObservationLimits.maxText);

export const ZCreateObservationRequest = z.strictObject({
  clientRef: z
    .string()
    .min(8)
    .max(64)
    .optional()
    .describe("Idempotency key chosen by the device: a repeated create (a retried or offline sync) returns the first observation with 200"),
  schoolId: ZId,
  teacherId: ZId,
  subject: z.string().trim().max(ObservationLimits.maxSubject).default(""),
  grade: z.enum(GRADES).nullable().optional(),
  date: ZDate,
  startTime: ZStartTime.nullable().optional(),
  durationMinutes: z.number().int().min(1, "must be at least 1 minute").max(ObservationLimits.maxDurationMinutes, "must be at most 10 hours").nullable().optional(),
  rubricVersionId: ZId.optional().describe("The rubric version it is scored with; defaults to the current version of the district's default rubric"),
  levels: z.record(z.string(), z.string().nullable()).default({}).describe("Level key per dimension key; null or absent: not observed"),
  technology: z.array(ZTechnology).max(ObservationLimits.maxTechnologies).default([]),
  evidence: longText().default(""),
  feedback: longText().default(""),
  nextStep: longText().default(""),
  status: z.enum(OBSERVATION_STATUSES).default("draft"),
  cycleId: ZId.nullable().optional(),
  coachingEntryId: ZId.nullable().optional(),
});
export type TCreateObservationRequest = z.input<typeof ZCreateObservationRequest>;
export type TCreateObservationBody = z.infer<typeof ZCreateObservationRequest>;

export const ZUpdateObservationRequest = z.strictObject({
  schoolId: ZId.optional(),
  teacherId: ZId.optional(),
  subject: z.string().trim().max(ObservationLimits.maxSubject).optional(),
  grade: z.enum(GRADES).nullable().optional(),
  date: ZDate.optional(),
  startTime: ZStartTime.nullable().optional(),
  durationMinutes: z.number().int().min(1).max(ObservationLimits.maxDurationMinutes).nullable().optional(),
  levels: z.record(z.string(), z.string().nullable()).optional(),
  technology: z.array(ZTechnology).max(ObservationLimits.maxTechnologies).optional(),
  evidence: longText().optional(),
  feedback: longText().optional(),
  nextStep: longText().optional(),
  status: z.enum(OBSERVATION_STATUSES).optional().describe("Forward only: draft → submitted → shared"),
  cycleId: ZId.nullable().optional(),
  coachingEntryId: ZId.nullable().optional(),
});
export type TUpdateObservationRequest = z.infer<typeof ZUpdateObservationRequest>;

export const ZListObservationsQuery = ZListQuery.extend({
  schoolId: ZId.optional(),
  teacherId: ZId.optional(),
  observerId: ZId.optional(),
  status: z.enum(OBSERVATION_STATUSES).optional(),
  from: ZDate.optional(),
  to: ZDate.optional(),
});
export type TListObservationsQuery = z.infer<typeof ZListObservationsQuery>;

export const ZAddCommentRequest = z.strictObject({ body: z.string().trim().min(1).max(ObservationLimits.maxComment) });
