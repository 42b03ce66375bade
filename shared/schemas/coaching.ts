import { z } from "zod";
import { CoachingLimits } from "../limits.js";
import { singleLine, ZId, ZListQuery, ZTimestamp } from "./common.js";

export const CATEGORY_KINDS = ["coaching", "support"] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const CYCLE_STAGES = ["goal", "co_plan", "co_teach", "model", "observe", "reflect", "next_step"] as const;
export type CycleStage = (typeof CYCLE_STAGES)[number];
export const CYCLE_STAGE_LABELS: Record<CycleStage, string> = {
  goal: "Goal",
  co_plan: "Co-plan",
  co_teach: "Co-teach",
  model: "Model",
  observe: "Observe",
  reflect: "Reflect",
  next_step: "Next step",
};
export const CYCLE_STATUSES = ["active", "paused", "complete"] as const;

export const ZDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");

export const ZCategory = z
  .object({
    id: ZId,
    key: z.string(),
    name: z.string(),
    kind: z.enum(CATEGORY_KINDS),
    sortOrder: z.number().int(),
    status: z.enum(["active", "retired"]),
  })
  .meta({ id: "CoachingCategory" });
export type TCategory = z.infer<typeof ZCategory>;

export const ZCreateCategoryRequest = z.strictObject({
  name: singleLine({ max: 80 }),
  kind: z.enum(CATEGORY_KINDS),
});
export const ZUpdateCategoryRequest = z.strictObject({
  name: singleLine({ max: 80 }).optional(),
  kind: z.enum(CATEGORY_KINDS).optional(),
  status: z.enum(["active", "retired"]).optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
});

export const ZPersonRef = z.object({ id: ZId, name: z.string() });

export const ZEntry = z
  .object({
    id: ZId,
    coach: ZPersonRef,
    date: ZDate,
    minutes: z.number().int(),
    category: ZCategory.pick({ id: true, name: true, kind: true }),
    school: z.object({ id: ZId, name: z.string() }).nullable(),
    teachers: z.array(ZPersonRef),
    notes: z.string(),
    cycleId: ZId.nullable(),
    link: z.object({ type: z.string(), id: z.string() }).nullable(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "CoachingEntry" });
export type TEntry = z.infer<typeof ZEntry>;

const LINK_TYPES = ["ticket", "pd_session", "observation"] as const;

export const ZCreateEntryRequest = z.strictObject({
  date: ZDate,
  minutes: z.number().int().min(1, "must be at least 1 minute").max(CoachingLimits.maxMinutesPerEntry, "must be at most 16 hours"),
  categoryId: ZId,
  schoolId: ZId.nullable().optional(),
  teacherIds: z.array(ZId).max(CoachingLimits.maxTeachersPerEntry).default([]),
  notes: z.string().max(CoachingLimits.maxNotes).default(""),
  cycleId: ZId.nullable().optional(),
  link: z.object({ type: z.enum(LINK_TYPES), id: z.string().min(1).max(64) }).nullable().optional(),
  clientRef: z.string().min(8).max(64).optional().describe("Idempotency key: a retried save with the same key returns the first entry"),
});
export type TCreateEntryRequest = z.infer<typeof ZCreateEntryRequest>;

export const ZUpdateEntryRequest = ZCreateEntryRequest.omit({ clientRef: true }).partial().strict();
export type TUpdateEntryRequest = z.infer<typeof ZUpdateEntryRequest>;

export const ZListEntriesQuery = ZListQuery.extend({
  from: ZDate.optional(),
  to: ZDate.optional(),
  coachId: ZId.optional().describe("Defaults to you; admins may name any coach"),
  allCoaches: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("District admins: every coach's entries (coachId, when given, still narrows to one coach)"),
  schoolId: ZId.optional(),
  categoryId: ZId.optional(),
  cycleId: ZId.optional(),
});
export type TListEntriesQuery = z.infer<typeof ZListEntriesQuery>;

export const ZRecentEntry = z.object({
  categoryId: ZId,
  categoryName: z.string(),
  minutes: z.number().int(),
  school: z.object({ id: ZId, name: z.string() }).nullable(),
  teachers: z.array(ZPersonRef),
  lastDate: ZDate,
});

export const BUCKETS = ["week", "month", "term"] as const;
export const ZDashboardQuery = z.object({
  from: ZDate.optional().describe("Defaults to the start of the current school year (July 1)"),
  to: ZDate.optional().describe("Defaults to today"),
  bucket: z.enum(BUCKETS).default("week"),
  scope: z.enum(["me", "school", "district"]).default("me"),
  schoolId: ZId.optional(),
  coachId: ZId.optional(),
});
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;

export const ZDashboard = z
  .object({
    from: ZDate,
    to: ZDate,
    bucket: z.enum(BUCKETS),
    teacherMetricsFrom: ZDate.describe("Teachers reached, coverage and top teachers count whole terms: from the first term's start"),
    teacherMetricsTo: ZDate.describe("…to the last term's end"),
    terms: z
      .array(z.object({ key: z.string(), name: z.string(), startDate: ZDate, endDate: ZDate }))
      .describe("The terms the range touches (the district's, or Fall July–December / Spring January–June), in order, with the dates they were given: names for term buckets (a term bucket's key is its term's key); teacher metrics count these whole terms, breaks included (teacherMetricsFrom…To)"),
    coachingShareTarget: z.number().nullable().describe("The district's target coaching share, 0–1, to compare coachingShare with; null: no target"),
    categories: z.array(ZCategory.pick({ id: true, name: true, kind: true })),
    series: z.array(
      z.object({
        bucket: z.string(),
        minutesByCategory: z.record(z.string(), z.number()),
        coachingMinutes: z.number(),
        supportMinutes: z.number(),
      }),
    ),
    totals: z.object({
      entries: z.number(),
      minutes: z.number(),
      coachingMinutes: z.number(),
      supportMinutes: z.number(),
      coachingShare: z.number().nullable().describe("coaching ÷ (coaching + support), 0–1"),
      teachersReached: z
        .number()
        .describe("Active teachers at the schools in view (each counted once) named on at least one coaching-kind entry in the terms the range touches"),
      teachers: z.number().describe("Active people with a teacher role at an active school in view, each counted once: the denominator of coverage"),
    }),
    coverage: z.array(
      z.object({ schoolId: ZId, schoolName: z.string(), teachers: z.number(), reached: z.number(), share: z.number().nullable() }),
    ),
    topTeachers: z.array(z.object({ id: ZId, name: z.string(), minutes: z.number(), entries: z.number() })),
    teacherNamesHidden: z
      .boolean()
      .describe("True when the caller sees totals only (a school leader, unless the district lets leaders see names): topTeachers is then empty"),
    topSchools: z.array(z.object({ id: ZId, name: z.string(), minutes: z.number(), entries: z.number() })),
  })
  .meta({ id: "CoachingDashboard" });
export type TDashboard = z.infer<typeof ZDashboard>;

export const ZCycleStep = z.object({
  id: ZId,
  stage: z.enum(CYCLE_STAGES),
  date: ZDate,
  notes: z.string(),
  author: ZPersonRef,
  createdAt: ZTimestamp,
});
export const ZCycle = z
  .object({
    id: ZId,
    title: z.string(),
    startingPoint: z.enum(["outcome", "problem"]),
    startingText: z.string(),
    status: z.enum(CYCLE_STATUSES),
    coach: ZPersonRef,
    school: z.object({ id: ZId, name: z.string() }),
    teachers: z.array(ZPersonRef),
    steps: z.array(ZCycleStep),
    minutesLogged: z.number(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    completedAt: ZTimestamp.nullable(),
  })
  .meta({ id: "CoachingCycle" });
export type TCycle = z.infer<typeof ZCycle>;

export const ZCreateCycleRequest = z.strictObject({
  title: singleLine({ max: 160 }),
  startingPoint: z.enum(["outcome", "problem"]).describe("Start from the expected learning outcome or the classroom problem, not the tool"),
  startingText: z.string().trim().min(1).max(CoachingLimits.maxNotes),
  schoolId: ZId,
  teacherIds: z.array(ZId).min(1).max(12),
});
export const ZUpdateCycleRequest = z.strictObject({
  title: singleLine({ max: 160 }).optional(),
  startingText: z.string().trim().min(1).max(CoachingLimits.maxNotes).optional(),
  status: z.enum(CYCLE_STATUSES).optional(),
});
export const ZAddStepRequest = z.strictObject({
  stage: z.enum(CYCLE_STAGES),
  date: ZDate,
  notes: z.string().trim().min(1).max(CoachingLimits.maxNotes),
});
export const ZListCyclesQuery = ZListQuery.extend({
  status: z.enum([...CYCLE_STATUSES, "all"]).default("active"),
  coachId: ZId.optional(),
  teacherId: ZId.optional(),
});

export const ZImportRequest = z.strictObject({
  csv: z.string().max(CoachingLimits.maxImportBytes),
  mapping: z.strictObject({
    date: z.string().min(1),
    minutes: z.string().min(1),
    category: z.string().min(1),
    school: z.string().optional(),
    teachers: z.string().optional(),
    notes: z.string().optional(),
  }),
  dateFormat: z.enum(["auto", "YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY"]).default("auto"),
  dryRun: z.boolean().default(true),
  applyValid: z.boolean().default(false).describe("With errors present, import the valid rows anyway"),
  categoryValues: z
    .record(z.string().max(200), ZId)
    .refine((r) => Object.keys(r).length <= CoachingLimits.maxImportCategoryValues, `at most ${CoachingLimits.maxImportCategoryValues} values`)
    .default({})
    .describe(
      "What each value of the category column means: value as in the file → category id. Values not given here match a category by name, " +
        "then the district's remembered choice; an applied import remembers the values given here for the next one",
    ),
});
export type TImportRequest = z.infer<typeof ZImportRequest>;
export const ZImportReport = z.object({
  dryRun: z.boolean(),
  applied: z.boolean(),
  rows: z.number(),
  valid: z.number(),
  created: z.number(),
  duplicates: z.number(),
  dateFormat: z.string().nullable(),
  headers: z.array(z.string()),
  errors: z.array(z.object({ line: z.number(), column: z.string().nullable(), message: z.string() })),
  categoryValues: z
    .array(
      z.object({
        value: z.string(),
        rows: z.number(),
        categoryId: ZId.nullable(),
        source: z.enum(["chosen", "name", "remembered"]).nullable().describe("How the value found its category; null when it found none"),
      }),
    )
    .describe("Each distinct value of the category column (by first appearance), with the category it is read as"),
});
export type TImportReport = z.infer<typeof ZImportReport>;
