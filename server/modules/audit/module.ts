import { defineModule } from "../../platform/module.js";
import { registerAuditRoutes } from "./audit.routes.js";

/** Who read or changed whose record: every module records through `audit/api.ts`. */
export const auditModule = defineModule({
  name: "audit",
  tables: ["audit_log"],
  routes: registerAuditRoutes,
});
