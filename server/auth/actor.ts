import type { Role } from "../../shared/roles.js";

export type RoleGrant = { role: Role; schoolId: string | null };

/** Who is making a request: a signed-in person, with the roles that decide what they may do. */
export type Actor = {
  personId: string;
  districtId: string;
  name: string;
  roles: RoleGrant[];
  via: "session" | "token";
  sessionIdHash: string | null;
  csrfToken: string | null;
};
