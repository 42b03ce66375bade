import type { RoleGrant } from "../../shared/policy/actor.js";

export type { RoleGrant };

/** Who is making a request: a signed-in person, with the roles that decide what they may do. */
export type Actor = {
  personId: string;
  districtId: string;
  name: string;
  roles: RoleGrant[];
  via: "session" | "token";
  /** A personal API token's scope: "read" tokens may only read. Null for a session. */
  tokenScope: "read" | "read_write" | null;
  sessionIdHash: string | null;
  csrfToken: string | null;
};
