// The audit module's API for other modules: record who did what, in the caller's transaction.
export { recordAudit, type AuditEvent } from "./audit.service.js";
