import type { Role, SchoolLevel } from "../../shared/roles.js";
import type { TMe } from "../../shared/schemas/auth.js";
import type { TPerson } from "../../shared/schemas/people.js";
import type { TSchool } from "../../shared/schemas/schools.js";
import { todayIn } from "../../server/modules/coaching/calendar.js";
import { ApiClient } from "./client.js";
import type { TestServer } from "./server.js";

let counter = 0;
/** Unique per call within a process, so tests never collide on names or emails. */
export const unique = (prefix: string): string => `${prefix}${process.pid.toString(36)}${(++counter).toString(36)}`;

export const PASSWORD = "correct horse battery staple";

/** The time zone of the district setUpDistrict makes: its "today" is the district's, not the server clock's UTC date. */
export const DISTRICT_TIME_ZONE = "America/New_York";

/**
 * Today in the test district. Dashboards, the week view and the "no future dates" rule all count in
 * the district's time zone, so a test dated by the UTC date fails between midnight UTC and midnight there.
 */
export const districtToday = (): string => todayIn(DISTRICT_TIME_ZONE);

/** Runs first-run setup through the API and returns the admin's signed-in client. */
export async function setUpDistrict(server: Pick<TestServer, "baseUrl" | "setupToken">, name = "Riverside Unified"): Promise<{ admin: ApiClient; me: TMe; email: string }> {
  const admin = new ApiClient(server.baseUrl);
  const email = `${unique("admin")}@example.org`;
  const res = await admin.post<TMe>("/api/v1/setup", {
    token: server.setupToken,
    districtName: name,
    timezone: DISTRICT_TIME_ZONE,
    givenName: "Ada",
    familyName: "Admin",
    email,
    password: PASSWORD,
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  admin.csrfToken = res.body.csrfToken;
  return { admin, me: res.body, email };
}

export async function makeSchool(admin: ApiClient, opts: { level?: SchoolLevel; name?: string } = {}): Promise<TSchool> {
  const res = await admin.post<TSchool>("/api/v1/schools", { name: opts.name ?? unique("School "), level: opts.level ?? "middle" });
  if (res.status !== 201) throw new Error(`makeSchool failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Creates a person with the given role grants; with `signIn`, also returns their signed-in client. */
export async function makePerson(
  admin: ApiClient,
  opts: { roles: { role: Role; schoolId: string | null }[]; givenName?: string; familyName?: string; gradeLevel?: string },
): Promise<{ person: TPerson; email: string }> {
  const email = `${unique("p")}@example.org`;
  const res = await admin.post<TPerson>("/api/v1/people", {
    givenName: opts.givenName ?? unique("Given"),
    familyName: opts.familyName ?? unique("Family"),
    email,
    roles: opts.roles,
    password: PASSWORD,
    ...(opts.gradeLevel ? { gradeLevel: opts.gradeLevel } : {}),
  });
  if (res.status !== 201) throw new Error(`makePerson failed: ${res.status} ${res.text}`);
  return { person: res.body, email };
}

export async function signedIn(server: TestServer, email: string): Promise<ApiClient> {
  const client = new ApiClient(server.baseUrl);
  await client.signIn(email, PASSWORD);
  return client;
}
