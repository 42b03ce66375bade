// The audit module's API for other modules: record who did what, in the caller's transaction.
export { recordAnonymousAttempt, recordAudit, recordRefusal, type AuditEvent } from "./audit.service.js";
