// The mail module's API for other modules: queue an email in the caller's transaction.
export { enqueueEmail } from "./outbox.js";
