import { z } from "zod";
import { ROLES } from "../roles.js";
import { ZId, ZListQuery, ZSearch } from "./common.js";

// Classes (from the roster) and school summaries.


export const ZClassPerson = z.object({
  id: ZId,
  displayName: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  email: z.string().nullable(),
  gradeLevel: z.string().nullable(),
  studentNumber: z.string().nullable(),
  isPrimary: z.boolean(),
});
export type TClassPerson = z.infer<typeof ZClassPerson>;

export const ZClassSummary = z
  .object({
    id: ZId,
    title: z.string(),
    classCode: z.string().nullable(),
    classType: z.enum(["homeroom", "scheduled"]),
    status: z.enum(["active", "inactive"]),
    schoolId: ZId,
    schoolName: z.string(),
    courseId: ZId,
    courseTitle: z.string(),
    courseCode: z.string().nullable(),
    grades: z.array(z.string()),
    subjects: z.array(z.string()),
    periods: z.array(z.string()),
    terms: z.array(z.object({ id: ZId, title: z.string(), startDate: z.string(), endDate: z.string() })),
    teacherNames: z.array(z.string()),
    studentCount: z.number().int(),
    memberRole: z.enum(["teacher", "student"]).nullable().describe("The role of `personId` in the class, when the list was asked for by personId; else null"),
  })
  .meta({ id: "ClassSummary" });
export type TClassSummary = z.infer<typeof ZClassSummary>;

export const ZClassDetail = ZClassSummary.extend({
  sourcedId: z.string().describe("The class's OneRoster sourcedId in the student information system"),
  location: z.string().nullable(),
  teachers: z.array(ZClassPerson),
  students: z.array(ZClassPerson),
}).meta({ id: "ClassDetail" });
export type TClassDetail = z.infer<typeof ZClassDetail>;

export const ZListClassesQuery = ZListQuery.extend({
  schoolId: ZId.optional(),
  personId: ZId.optional().describe("Only the classes this person is actively enrolled in, as teacher or student (reading a student's is audited)"),
  q: ZSearch.optional().describe("Part of the title, class code or course title"),
  status: z.enum(["active", "inactive", "all"]).default("active"),
});
export type TListClassesQuery = z.infer<typeof ZListClassesQuery>;

export const ZSchoolSummary = z
  .object({
    schoolId: ZId,
    schoolName: z.string(),
    staffCount: z.number().int().describe("Active people with a staff role at the school"),
    studentCount: z.number().int(),
    classCount: z.number().int().describe("Active classes"),
    studentsByGrade: z.array(z.object({ grade: z.string().describe("'' when unknown"), count: z.number().int() })),
    staffByRole: z.array(z.object({ role: z.enum(ROLES), count: z.number().int() })),
  })
  .meta({ id: "SchoolSummary" });
export type TSchoolSummary = z.infer<typeof ZSchoolSummary>;
