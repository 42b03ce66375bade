import { defineModule } from "../../platform/module.js";
import { mailJobs } from "./outbox.js";

/** The email outbox and its SMTP worker; other modules queue mail through `mail/api.ts`. */
export const mailModule = defineModule({
  name: "mail",
  tables: ["outbox"],
  jobs: mailJobs,
});
