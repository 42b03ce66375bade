import { defineModule } from "../../platform/module.js";

/** The email outbox and its SMTP worker; other modules queue mail through `mail/api.ts`. */
export const mailModule = defineModule({
  name: "mail",
  tables: ["outbox"],
});
