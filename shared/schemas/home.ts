import { z } from "zod";
import { ZId } from "./common.js";
import { CYCLE_STAGES, ZDate } from "./coaching.js";

// The home page's numbers (GET /api/v1/coaching/home): what each of the caller's roles may see.

const ZTermRef = z.object({ key: z.string(), name: z.string(), startDate: ZDate, endDate: ZDate });

/** Time and reach for a slice of the log (the district, a school, a coach): this week and this term. */
export const ZHomeNumbers = z.object({
  minutesWeek: z.number(),
  entriesWeek: z.number(),
  coachingShareWeek: z.number().nullable().describe("coaching ÷ (coaching + support) this week, 0–1"),
  minutesTerm: z.number(),
  coachingShareTerm: z.number().nullable(),
  teachers: z.number().describe("Active teachers at the schools in view"),
  teachersReached: z.number().describe("…of whom a coaching activity reached this term"),
  schoolsNotReached: z.array(z.object({ id: ZId, name: z.string(), teachers: z.number() })).describe("Schools with teachers where none was reached this term"),
});
export type THomeNumbers = z.infer<typeof ZHomeNumbers>;

export const ZHomeAttention = z.object({
  kind: z.enum(["below_target", "schools_not_reached", "stalled_cycles", "nothing_logged"]),
  text: z.string(),
  to: z.string().describe("The page to act from"),
});
export type THomeAttention = z.infer<typeof ZHomeAttention>;

export const ZHomeCycle = z.object({
  id: ZId,
  title: z.string(),
  schoolName: z.string(),
  coachName: z.string(),
  teacherNames: z.array(z.string()),
  status: z.enum(["active", "paused", "complete"]),
  lastStage: z.enum(CYCLE_STAGES).nullable(),
  lastStepDate: ZDate.nullable(),
  nextStage: z.enum(CYCLE_STAGES).nullable().describe("The stage that usually comes next; null once the next step is set"),
  isStalled: z.boolean().describe("Active with no step for three weeks"),
});
export type THomeCycle = z.infer<typeof ZHomeCycle>;

export const ZCoachingHome = z
  .object({
    today: ZDate.describe("Today where the district is"),
    weekStart: ZDate,
    term: ZTermRef,
    coachingShareTarget: z.number().nullable().describe("The district's target coaching share, 0–1"),
    district: z
      .object({ numbers: ZHomeNumbers, openCycles: z.number(), stalledCycles: z.number(), attention: z.array(ZHomeAttention) })
      .nullable()
      .describe("For district admins and district-wide coaches"),
    schools: z
      .array(z.object({ id: ZId, name: z.string(), numbers: ZHomeNumbers, attention: z.array(ZHomeAttention) }))
      .describe("The schools the caller leads (school leaders)"),
    coach: z
      .object({ numbers: ZHomeNumbers, daysLoggedWeek: z.number(), cycles: z.array(ZHomeCycle), attention: z.array(ZHomeAttention) })
      .nullable()
      .describe("A coach's own week, reach at their schools and open cycles"),
    teacher: z.object({ cycles: z.array(ZHomeCycle) }).nullable().describe("A teacher's own cycles and next steps"),
  })
  .meta({ id: "CoachingHome" });
export type TCoachingHome = z.infer<typeof ZCoachingHome>;

// ---- Coaches compared (GET /api/v1/coaching/coaches) ----

export const ZCoachesQuery = z.object({
  from: ZDate.optional().describe("Default: the first day of the current term"),
  to: ZDate.optional().describe("Default: today where the district is"),
  schoolId: ZId.optional().describe("One school (school leaders must give theirs); default the district"),
});
export type TCoachesQuery = z.infer<typeof ZCoachesQuery>;

export const ZCoachRow = z.object({
  id: ZId,
  name: z.string(),
  schools: z.array(z.string()).describe("Where the coach holds the coach role (\"District-wide\" for a district-wide grant)"),
  minutes: z.number(),
  coachingMinutes: z.number(),
  supportMinutes: z.number(),
  coachingShare: z.number().nullable(),
  entries: z.number(),
  teachersReached: z.number().describe("Distinct teachers named in the coach's coaching (not support) activities in the range"),
});
export type TCoachRow = z.infer<typeof ZCoachRow>;

export const ZCoachesReport = z
  .object({
    from: ZDate,
    to: ZDate,
    schoolId: ZId.nullable(),
    coachingShareTarget: z.number().nullable(),
    coaches: z.array(ZCoachRow),
    term: ZTermRef.describe("The current term: what \"not yet reached\" counts"),
    teachersNotReached: z.array(z.object({ id: ZId, name: z.string(), schoolId: ZId, schoolName: z.string() })),
    teacherNamesHidden: z.boolean().describe("A school leader sees counts only, unless the district lets leaders see names"),
    teachers: z.number().describe("Active teachers in view"),
    teachersNotReachedCount: z.number(),
    schoolsNotReached: z.array(z.object({ id: ZId, name: z.string(), teachers: z.number() })),
  })
  .meta({ id: "CoachesReport" });
export type TCoachesReport = z.infer<typeof ZCoachesReport>;

// ---- A person's coaching, on their page (GET /api/v1/coaching/people/{id}) ----

export const ZPersonCoaching = z
  .object({
    view: z.enum(["all", "own"]).describe("all: every coach's work with this person; own: only the caller's (a coach)"),
    totals: z.object({ entries: z.number(), minutes: z.number(), coachingMinutes: z.number() }),
    recent: z.array(
      z.object({ id: ZId, date: ZDate, minutes: z.number(), categoryName: z.string(), kind: z.enum(["coaching", "support"]), coachName: z.string(), schoolName: z.string().nullable() }),
    ),
    cycles: z.array(ZHomeCycle),
  })
  .meta({ id: "PersonCoaching" });
export type TPersonCoaching = z.infer<typeof ZPersonCoaching>;
