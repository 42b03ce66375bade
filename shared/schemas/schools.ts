import { z } from "zod";
import { NameLimits } from "../limits.js";
import { SCHOOL_LEVELS } from "../roles.js";
import { singleLine, ZId, ZListQuery, ZSearch, ZTimestamp } from "./common.js";

export const ZSchool = z
  .object({
    id: ZId,
    name: z.string(),
    level: z.enum(SCHOOL_LEVELS),
    code: z.string().nullable(),
    status: z.enum(["active", "inactive"]),
    peopleCount: z.number().int().optional(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "School" });
export type TSchool = z.infer<typeof ZSchool>;

export const ZListSchoolsQuery = ZListQuery.extend({
  q: ZSearch.optional(),
  level: z.enum(SCHOOL_LEVELS).optional(),
  status: z.enum(["active", "inactive", "all"]).default("active"),
});
export type TListSchoolsQuery = z.infer<typeof ZListSchoolsQuery>;

export const ZCreateSchoolRequest = z.strictObject({
  name: singleLine({ max: NameLimits.max }),
  level: z.enum(SCHOOL_LEVELS),
  code: singleLine({ min: 0, max: 32 }).nullable().optional(),
});
export type TCreateSchoolRequest = z.infer<typeof ZCreateSchoolRequest>;

export const ZUpdateSchoolRequest = z.strictObject({
  name: singleLine({ max: NameLimits.max }).optional(),
  level: z.enum(SCHOOL_LEVELS).optional(),
  code: singleLine({ min: 0, max: 32 }).nullable().optional(),
  status: z.enum(["active", "inactive"]).optional(),
});
export type TUpdateSchoolRequest = z.infer<typeof ZUpdateSchoolRequest>;
