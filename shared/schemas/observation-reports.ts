import { z } from "zod";
import { singleLine, ZId, ZTimestamp } from "./common.js";

// Roll-ups of observations (heat map, distributions, prevalence, highest level, extensity,
// flexibility, growth, comparison) and admin-defined composite scores. The metric definitions are in
// shared/observation-metrics.ts; every share is 0–1 and null when there is nothing to divide.

const ZDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");

export const ROLLUP_SCOPES = ["teacher", "school", "district"] as const;
export type RollupScope = (typeof ROLLUP_SCOPES)[number];
export const GRADE_BANDS = ["K-2", "3-5", "6-8", "9-12"] as const;
export const GROWTH_BUCKETS = ["term", "year"] as const;

const filterShape = {
  scope: z.enum(ROLLUP_SCOPES).default("district").describe("teacher: one teacher (teacherId); school: one school (schoolId); district: every school the caller may see"),
  teacherId: ZId.optional(),
  schoolId: ZId.optional(),
  subject: singleLine({ max: 80 }).optional().describe("Only observations of this subject"),
  gradeBand: z.enum(GRADE_BANDS).optional().describe("Only observations of this grade band"),
  from: ZDate.optional().describe("Defaults to the start of the current school year (July 1)"),
  to: ZDate.optional().describe("Defaults to today"),
  rubricId: ZId.optional().describe("Defaults to the district's default rubric (the TIM)"),
};

export const ZRollupQuery = z.object(filterShape);
export type TRollupQuery = z.infer<typeof ZRollupQuery>;

export const ZGrowthQuery = z.object({ ...filterShape, bucket: z.enum(GROWTH_BUCKETS).default("term") });
export type TGrowthQuery = z.infer<typeof ZGrowthQuery>;

export const ZCompareQuery = z.object({
  ...filterShape,
  by: z.enum(["schools", "periods"]).describe("schools: schoolId against otherSchoolId over the same dates; periods: from–to against otherFrom–otherTo"),
  otherSchoolId: ZId.optional(),
  otherFrom: ZDate.optional(),
  otherTo: ZDate.optional(),
});
export type TCompareQuery = z.infer<typeof ZCompareQuery>;

export const EXPORT_TABLES = ["heatmap", "distribution", "prevalence", "highest", "extensity", "flexibility", "composites", "growth", "compare"] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export const ZExportQuery = ZCompareQuery.extend({
  table: z.enum(EXPORT_TABLES),
  by: z.enum(["schools", "periods"]).optional(),
  bucket: z.enum(GROWTH_BUCKETS).default("term"),
});
export type TExportQuery = z.infer<typeof ZExportQuery>;

const ZShare = z.number().nullable();
const ZLevelShare = z.object({ level: z.number().int(), key: z.string(), name: z.string(), count: z.number().int(), share: ZShare });

export const ZRollupRubric = z
  .object({
    id: ZId,
    name: z.string(),
    version: z.number().int().describe("The current version, whose dimensions and levels the report uses"),
    dimensions: z.array(z.object({ key: z.string(), name: z.string() })),
    levels: z.array(z.object({ rank: z.number().int(), key: z.string(), name: z.string() })),
  })
  .meta({ id: "RollupRubric" });

export const ZRollupFilter = z.object({
  scope: z.enum(ROLLUP_SCOPES),
  teacherId: ZId.nullable(),
  schoolId: ZId.nullable(),
  subject: z.string().nullable(),
  gradeBand: z.string().nullable(),
  from: ZDate,
  to: ZDate,
  label: z.string().describe("The filter in words: “Lincoln Elementary, 2026-07-01 – 2026-12-03”"),
});

export const ZCountMetrics = z
  .object({
    observations: z.number().int(),
    heatMap: z.array(
      z.object({
        dimension: z.string(),
        name: z.string(),
        counts: z.array(z.number().int()).describe("Observations per level, in level order"),
        shares: z.array(ZShare).describe("counts ÷ observed"),
        observed: z.number().int(),
        notObserved: z.number().int(),
      }),
    ),
    distribution: z.array(ZLevelShare).describe("All recorded ratings (observation × characteristic) by level"),
    prevalence: z.object({
      byDimension: z.array(
        z.object({
          dimension: z.string(),
          name: z.string(),
          observed: z.number().int(),
          atOrAbove: z.array(ZShare).describe("Share of the observations that observed the characteristic at each level or above"),
          mostFrequent: z.array(z.number().int()).describe("The most frequent level rank(s)"),
        }),
      ),
      byObservation: z.array(ZLevelShare).describe("Observations whose highest level is at or above each level, as a share of all observations"),
    }),
    highestByObservation: z.object({ levels: z.array(ZLevelShare), none: z.number().int() }),
    extensity: z.object({
      distribution: z.array(z.object({ characteristics: z.number().int(), count: z.number().int(), share: ZShare })),
      mean: ZShare.describe("Mean characteristics observed per observation (a count, not a level)"),
      normalised: ZShare.describe("mean ÷ number of characteristics"),
    }),
  })
  .meta({ id: "RollupCountMetrics" });
export type TCountMetrics = z.infer<typeof ZCountMetrics>;

const ZSpread = z.array(z.object({ levels: z.number().int(), count: z.number().int(), share: ZShare }));
export const ZTeacherMetrics = z
  .object({
    teachers: z.number().int().describe("Teachers with at least one observed level"),
    highestByTeacher: z.array(ZLevelShare).describe("Teachers by the highest level seen across all their observations (the TIM-O report's extensity)"),
    highestByDimension: z.array(z.object({ dimension: z.string(), name: z.string(), teachers: z.array(ZLevelShare) })),
    flexibility: z.object({
      teachers: ZSpread.describe("Teachers by how many distinct levels they were observed at"),
      byDimension: z.array(z.object({ dimension: z.string(), name: z.string(), teachers: ZSpread })),
    }),
  })
  .meta({ id: "RollupTeacherMetrics" });

export const ZCompositeTerm = z.object({ metric: z.string().min(1).max(120), weight: z.number().positive().max(1000) });

export const ZCompositeScore = z
  .object({
    compositeId: ZId,
    name: z.string(),
    score: z.number().nullable().describe("0–100; null when a metric has no value for this filter"),
    formula: z.string(),
    parts: z.array(z.object({ metric: z.string(), label: z.string(), weight: z.number(), value: ZShare, contribution: z.number().nullable() })),
    missing: z.array(z.string()),
  })
  .meta({ id: "CompositeScore" });
export type TCompositeScore = z.infer<typeof ZCompositeScore>;

export const ZHeatMapReport = z
  .object({ filter: ZRollupFilter, rubric: ZRollupRubric, source: z.enum(["rollups", "rows"]).describe("rollups: monthly counts (and rows for part months); rows: the per-dimension rows"), metrics: ZCountMetrics })
  .meta({ id: "ObservationHeatMapReport" });
export type THeatMapReport = z.infer<typeof ZHeatMapReport>;

export const ZRollupReport = z
  .object({
    filter: ZRollupFilter,
    rubric: ZRollupRubric,
    source: z.enum(["rollups", "rows"]),
    metrics: ZCountMetrics,
    teacherMetrics: ZTeacherMetrics,
    composites: z.array(ZCompositeScore),
  })
  .meta({ id: "ObservationRollupReport" });
export type TRollupReport = z.infer<typeof ZRollupReport>;

export const ZGrowthReport = z
  .object({
    filter: ZRollupFilter,
    rubric: ZRollupRubric,
    bucket: z.enum(GROWTH_BUCKETS),
    source: z.enum(["rollups", "rows"]),
    periods: z.array(
      z.object({
        period: z.string().describe("A term (2026-27 Fall) or a school year (2026-27)"),
        observations: z.number().int(),
        prevalence: z.array(ZLevelShare).describe("Observations at each level or above (highest level), as a share of the period's"),
        atOrAboveByDimension: z.array(z.object({ dimension: z.string(), atOrAbove: z.array(ZShare) })),
        extensity: ZShare.describe("Mean characteristics observed ÷ characteristics"),
      }),
    ),
  })
  .meta({ id: "ObservationGrowthReport" });
export type TGrowthReport = z.infer<typeof ZGrowthReport>;

export const ZCompareReport = z
  .object({
    rubric: ZRollupRubric,
    by: z.enum(["schools", "periods"]),
    sides: z.array(z.object({ filter: ZRollupFilter, metrics: ZCountMetrics, composites: z.array(ZCompositeScore) })).length(2),
  })
  .meta({ id: "ObservationCompareReport" });
export type TCompareReport = z.infer<typeof ZCompareReport>;

export const ZCompositeMetric = z
  .object({ key: z.string(), label: z.string(), description: z.string(), module: z.string() })
  .meta({ id: "CompositeMetric" });

export const ZComposite = z
  .object({
    id: ZId,
    name: z.string(),
    description: z.string(),
    terms: z.array(ZCompositeTerm),
    formula: z.string(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "Composite" });
export type TComposite = z.infer<typeof ZComposite>;

export const ZCompositeList = z.object({ items: z.array(ZComposite), metrics: z.array(ZCompositeMetric) });
export type TCompositeList = z.infer<typeof ZCompositeList>;

export const ZCreateCompositeRequest = z.strictObject({
  name: singleLine({ max: 80 }),
  description: z.string().trim().max(500).default(""),
  terms: z.array(ZCompositeTerm).min(1).max(12),
});
export type TCreateCompositeRequest = z.infer<typeof ZCreateCompositeRequest>;
export const ZUpdateCompositeRequest = z.strictObject({
  name: singleLine({ max: 80 }).optional(),
  description: z.string().trim().max(500).optional(),
  terms: z.array(ZCompositeTerm).min(1).max(12).optional(),
});
export type TUpdateCompositeRequest = z.infer<typeof ZUpdateCompositeRequest>;
