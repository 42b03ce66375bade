import { z } from "zod";
import { EmailLimits, NameLimits } from "../limits.js";
import { PERSON_STATUSES, ROLES } from "../roles.js";
import { singleLine, ZId, ZListQuery, ZSearch, ZTimestamp } from "./common.js";

export const ZRoleAssignment = z.object({
  role: z.enum(ROLES),
  schoolId: ZId.nullable().describe("null: the role covers the whole district"),
});
export type TRoleAssignment = z.infer<typeof ZRoleAssignment>;

export const ZRoleAssignmentView = ZRoleAssignment.extend({ schoolName: z.string().nullable() });

export const ZEmail = z.string().trim().toLowerCase().max(EmailLimits.max).pipe(z.email());
const ZName = singleLine({ max: NameLimits.max });

export const ZPerson = z
  .object({
    id: ZId,
    givenName: z.string(),
    familyName: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    status: z.enum(PERSON_STATUSES),
    gradeLevel: z.string().nullable(),
    studentNumber: z.string().nullable(),
    sourcedId: z.string().nullable().describe("The person's id in the student information system (OneRoster sourcedId); null for people added by hand"),
    roles: z.array(ZRoleAssignmentView),
    hasPassword: z.boolean(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "Person" });
export type TPerson = z.infer<typeof ZPerson>;

export const ZListPeopleQuery = ZListQuery.extend({
  q: ZSearch.optional().describe("Prefix of the given name, family name or email"),
  role: z.enum(ROLES).optional(),
  schoolId: ZId.optional(),
  status: z.enum([...PERSON_STATUSES, "all"]).default("active"),
});
export type TListPeopleQuery = z.infer<typeof ZListPeopleQuery>;

export const ZCreatePersonRequest = z.strictObject({
  givenName: ZName,
  familyName: ZName,
  email: ZEmail.nullable().optional(),
  gradeLevel: singleLine({ min: 0, max: 16 }).nullable().optional(),
  studentNumber: singleLine({ min: 0, max: 64 }).nullable().optional(),
  roles: z.array(ZRoleAssignment).min(1).max(50),
  password: z.string().optional().describe("Optional initial password for a local account"),
});
export type TCreatePersonRequest = z.infer<typeof ZCreatePersonRequest>;

export const ZUpdatePersonRequest = z.strictObject({
  givenName: ZName.optional(),
  familyName: ZName.optional(),
  email: ZEmail.nullable().optional(),
  gradeLevel: singleLine({ min: 0, max: 16 }).nullable().optional(),
  studentNumber: singleLine({ min: 0, max: 64 }).nullable().optional(),
  roles: z.array(ZRoleAssignment).min(1).max(50).optional(),
});
export type TUpdatePersonRequest = z.infer<typeof ZUpdatePersonRequest>;
