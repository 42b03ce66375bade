import { z } from "zod";
import { ZId, ZListQuery, ZTimestamp } from "./common.js";

export const ZAuditEntry = z
  .object({
    id: ZId,
    at: ZTimestamp,
    actorId: ZId.nullable(),
    actorName: z.string().nullable(),
    action: z.string().describe("e.g. `person.read`, `person.update`, `auth.login`"),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    subjectName: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "AuditEntry" });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZListAuditQuery = ZListQuery.extend({
  actorId: ZId.optional(),
  subjectId: ZId.optional(),
  action: z.string().max(64).optional(),
  from: z.iso.date().optional().describe("First day, inclusive (YYYY-MM-DD, UTC)"),
  to: z.iso.date().optional().describe("Last day, inclusive (YYYY-MM-DD, UTC)"),
});
export type TListAuditQuery = z.infer<typeof ZListAuditQuery>;
