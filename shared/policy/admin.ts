import { isDistrictAdmin, type PolicyActor } from "./actor.js";

// Rules for the district-wide settings pages: each is the district admin's alone.

/** The audit log names every reader of student records: district admins only. */
export const canReadAudit = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);

/** Single sign-on providers decide who can become whom: district admins only. */
export const canManageSso = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);

/** Importing rosters (OneRoster, staff CSV) and reading import reports changes the whole directory: district admins only. */
export const canImportRosters = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);

/** The district's security settings (public address, token lifetime, SSO issuers, leaders' view): district admins only. */
export const canManageSettings = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);
