import type { Role } from "../../shared/roles.js";
import type { TMe } from "../../shared/schemas/auth.js";
import type { TPerson } from "../../shared/schemas/people.js";
import type { TSchool } from "../../shared/schemas/schools.js";
import { newId, nowIso } from "../../server/lib.js";
import type { ApiClient } from "./client.js";
import { PASSWORD, makeSchool, setUpDistrict, unique } from "./factories.js";
import { startTestServer, type TestServer } from "./server.js";
import type { TestDialect } from "./db.js";

// The role × scope matrix: every route declares, for every actor and every target record, the exact
// status it answers (and, for lists, whether the target shows up). One runner (tests/matrix) checks
// each cell over real HTTP, with a session cookie (+ CSRF) and with an API token, on both databases.
//
//   {
//     route: "GET /api/v1/people/:id",
//     targets: {                                    // how to aim at each kind of record
//       own: ({ world }) => ({ path: `/api/v1/people/${world.teacherA2.id}` }),
//       other: ({ world }) => ({ path: `/api/v1/people/${world.teacherB.id}` }),
//     },
//     expect: {                                     // every actor, TypeScript insists
//       ...signedIn(403),                           // refused unless listed below; anonymous 401
//       district_admin: 200,                        // the same for every target
//       school_coach: { own: 200, other: 403 },     // per target
//       teacher: { own: 200, other: knownGap(403, "issue N: …") },  // the safe answer, not yet given
//     },
//   }
//
// A list's target builder adds `probe` (is the record in the answer?) and declares sees(200) or
// hidden(200). Write routes build a fresh record per cell inside the builder, so cells never depend
// on each other; `na("why")` marks a cell that cannot exist (a student's own coaching log).

export const ACTORS = [
  "district_admin",
  "district_coach",
  "school_coach",
  "school_leader",
  "it_staff",
  "teacher",
  "student_tech",
  "student",
  "anonymous",
] as const;
export type ActorKey = (typeof ACTORS)[number];
export type SignedInActor = Exclude<ActorKey, "anonymous">;

/** How an actor's request is authenticated: a browser session (cookie + X-CSRF-Token), an API token, or nothing. */
export type AuthMode = "session" | "token" | "none";

/**
 * Which record a cell aims at, seen from the actor: `any` for routes without a record; `self` the actor's
 * own record; `own` a record in the actor's school (A); `other` one in another school (B); `private`
 * someone else's private record (another coach's log entry, another person's token, a student's record).
 */
export const TARGETS = ["any", "self", "own", "other", "private"] as const;
export type TargetKey = (typeof TARGETS)[number];

/** A cell's expected answer: an exact status, optionally whether the target record is in the body. */
export type Outcome = { status: number; sees?: boolean };
/** A cell that does not exist for this actor (e.g. "the actor's own coaching log" for a student), with why. */
export type NotApplicable = { na: string };
/** The safe answer, which today's server does not give: checked as an expected failure until fixed. */
export type KnownGap = Outcome & { knownGap: string };
/** Different answers for a session and for an API token (e.g. what a token may not do). */
export type ByAuth = { session: Expectation; token: Expectation };
export type Expectation = number | Outcome | KnownGap | NotApplicable | ByAuth;
export type ActorExpectation = Expectation | Partial<Record<TargetKey, Expectation>>;

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export type RouteKey = `${Method} /${string}`;

/** Credentials of one actor in one auth mode. */
export type Principal = {
  key: ActorKey;
  auth: AuthMode;
  personId: string | null;
  email: string | null;
  cookie: string | null;
  csrfToken: string | null;
  bearer: string | null;
};

export type MatrixResponse = { status: number; text: string; headers: Headers };

export type CellRequest = {
  path: string;
  body?: unknown;
  /** A body sent as it is (uploads), with this content type. */
  raw?: { body: string; contentType: string };
  /** Who sends it, when not the cell's actor (a fresh copy of the actor for routes that end sessions). */
  as?: Principal;
  /** For 2xx answers: whether the target record reached the caller (a list contains it, a report accepted it). */
  probe?: (res: MatrixResponse) => boolean;
  /** A list: the probe sees every page (following `nextCursor`), so records other cells add cannot push the target off page one. */
  isList?: boolean;
};

export type Cell = { world: MatrixWorld; actor: ActorKey; auth: AuthMode; me: Principal };
export type TargetBuilder = (cell: Cell) => CellRequest | Promise<CellRequest>;

export type RouteMatrix = {
  route: RouteKey;
  /** Several declarations of one route (e.g. the dashboard's scopes) are told apart by a variant. */
  variant?: string;
  /** Cells that would collide when run at once (one running roster import per district). */
  isSerial?: boolean;
  /**
   * The route reads no session at all (`config.sessionless`: a capability link's HTML form, which
   * guards itself), so a cookie write without X-CSRF-Token is answered as anyone's would be, not 403.
   * Say why.
   */
  sessionless?: string;
  targets: Partial<Record<TargetKey, TargetBuilder>>;
  expect: Record<ActorKey, ActorExpectation>;
};

export type ModuleMatrix = {
  module: string;
  /** Builds the module's records in a new world, once, before its cells run. */
  seed?: (world: MatrixWorld) => Promise<void>;
  routes: RouteMatrix[];
};

/** Per-world records of a module's seed, typed: `const records = worldRecords<{ entryId: string }>()`. */
export function worldRecords<T>(): { set(world: MatrixWorld, value: T): void; of(world: MatrixWorld): T } {
  const map = new WeakMap<MatrixWorld, T>();
  return {
    set: (world, value) => void map.set(world, value),
    of: (world) => {
      const value = map.get(world);
      if (value === undefined) throw new Error("the module's seed has not run in this world");
      return value;
    },
  };
}

// ---- Compact expectations ----

export const sees = (status: number): Outcome => ({ status, sees: true });
export const hidden = (status: number): Outcome => ({ status, sees: false });
export const na = (why: string): NotApplicable => ({ na: why });
export const byAuth = (session: Expectation, token: Expectation): ByAuth => ({ session, token });
export const knownGap = (safe: number | Outcome, why: string): KnownGap => ({ ...(typeof safe === "number" ? { status: safe } : safe), knownGap: why });

/** Every caller gets `expectation`, signed in or not (public routes). */
export function everyone(expectation: ActorExpectation): Record<ActorKey, ActorExpectation> {
  return Object.fromEntries(ACTORS.map((a) => [a, expectation])) as Record<ActorKey, ActorExpectation>;
}

/** Every signed-in actor gets `expectation`; anonymous callers 401. */
export function signedIn(expectation: ActorExpectation): Record<ActorKey, ActorExpectation> {
  return { ...everyone(expectation), anonymous: 401 };
}

/** District admins get `expectation`, every other signed-in actor 403, anonymous 401. */
export function adminOnly(expectation: ActorExpectation): Record<ActorKey, ActorExpectation> {
  return { ...signedIn(403), district_admin: expectation };
}

// ---- The world ----

const ROLES_OF: Record<SignedInActor, { role: Role; school: "A" | null }[]> = {
  district_admin: [{ role: "district_admin", school: null }],
  district_coach: [{ role: "coach", school: null }],
  school_coach: [{ role: "coach", school: "A" }],
  school_leader: [{ role: "school_leader", school: "A" }],
  it_staff: [{ role: "it_staff", school: "A" }],
  teacher: [{ role: "teacher", school: "A" }],
  student_tech: [{ role: "student_tech", school: "A" }],
  student: [{ role: "student", school: "A" }],
};

export type Someone = { id: string; email: string; name: string };

let forwardedFor = 0;
/**
 * A different client address for every request (the matrix server trusts X-Forwarded-For), so the
 * per-address throttles of sign-in, reset and discovery, which have tests of their own, never answer 429 here.
 */
function nextAddress(): string {
  forwardedFor++;
  return `10.${(forwardedFor >> 16) & 255}.${(forwardedFor >> 8) & 255}.${forwardedFor & 255}`;
}

/** Sends one request as `who`, never following redirects (the SSO routes answer 302). */
export async function send(
  baseUrl: string,
  who: Principal | null,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: { body: string; contentType: string } } = {},
): Promise<MatrixResponse & { setCookie: string | null }> {
  const headers: Record<string, string> = { "x-forwarded-for": nextAddress() };
  let body: string | undefined;
  if (opts.raw) {
    headers["content-type"] = opts.raw.contentType;
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  } else if (method !== "GET" && method !== "DELETE") {
    headers["content-type"] = "application/json";
    body = "{}";
  }
  if (who?.cookie) headers.cookie = who.cookie;
  if (who?.bearer) headers.authorization = `Bearer ${who.bearer}`;
  if (who?.csrfToken && method !== "GET") headers["x-csrf-token"] = who.csrfToken;
  const res = await fetch(baseUrl + path, { method, headers, body, redirect: "manual" });
  return { status: res.status, text: await res.text(), headers: res.headers, setCookie: res.headers.get("set-cookie") };
}

/** Sends as `who` and throws unless the answer is `status`: for building records, where a surprise is a broken world. */
export async function must<T>(world: MatrixWorld, who: Principal, method: Method, path: string, status: number, body?: unknown): Promise<T> {
  const res = await send(world.server.baseUrl, who, method, path, { body });
  if (res.status !== status) throw new Error(`${method} ${path} as ${who.key}: expected ${status}, got ${res.status} ${res.text}`);
  return (res.text ? JSON.parse(res.text) : null) as T;
}

export type MatrixWorld = {
  server: TestServer;
  dialect: TestDialect;
  /** The district's first admin: builds records, never a cell's actor. */
  root: Principal;
  rootClient: ApiClient;
  schoolA: TSchool;
  schoolB: TSchool;
  /** The actors' person ids and emails. */
  people: Record<SignedInActor, Someone>;
  /** Other people the cells aim at. */
  teacherA2: Someone;
  teacherB: Someone;
  studentA2: Someone;
  coachA2: Someone;
  coachB: Someone;
  /** A principal of another person (teacherA2), whose token is "someone else's private record". */
  teacherA2Session: Principal;
  /** An API token that was revoked: every /api route must answer 401 to it, public ones included. */
  revokedToken: Principal;
  principal(actor: ActorKey, auth: AuthMode): Principal;
  /** A new person with the actor's roles, signed in the same way: for cells that end sessions or change passwords. */
  freshPrincipal(actor: ActorKey, auth: AuthMode): Promise<Principal>;
  /** A person with the given roles, signed in by session (for records that must belong to someone specific). */
  makePerson(roles: { role: Role; school: "A" | "B" | null }[], opts?: { withPassword?: boolean; gradeLevel?: string }): Promise<Someone>;
  signIn(someone: Someone, key?: ActorKey): Promise<Principal>;
};

export async function signInAs(baseUrl: string, key: ActorKey, email: string): Promise<Principal> {
  const res = await send(baseUrl, null, "POST", "/api/v1/auth/login", { body: { email, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`sign-in of ${key} failed: ${res.status} ${res.text}`);
  const cookie = /cw_session=([^;]*)/.exec(res.setCookie ?? "")?.[1];
  if (!cookie) throw new Error(`sign-in of ${key} set no session cookie`);
  const me = JSON.parse(res.text) as TMe;
  return { key, auth: "session", personId: me.person.id, email, cookie: `cw_session=${cookie}`, csrfToken: me.csrfToken, bearer: null };
}

export async function tokenFor(baseUrl: string, session: Principal): Promise<Principal> {
  const res = await send(baseUrl, session, "POST", "/api/v1/me/tokens", { body: { name: unique("matrix "), expiresInDays: 30 } });
  if (res.status !== 201) throw new Error(`token for ${session.key} failed: ${res.status} ${res.text}`);
  const { token } = JSON.parse(res.text) as { token: string };
  return { ...session, auth: "token", cookie: null, csrfToken: null, bearer: token };
}

const ANONYMOUS: Principal = { key: "anonymous", auth: "none", personId: null, email: null, cookie: null, csrfToken: null, bearer: null };

/** Builds one district over HTTP: schools A and B, every actor signed in twice, and people to aim at. */
export async function buildWorld(dialect: TestDialect): Promise<MatrixWorld> {
  // trustProxy: see nextAddress().
  const server = await startTestServer({ dialect, config: { trustProxy: ["127.0.0.1"] } });
  const baseUrl = server.baseUrl;
  const { admin: rootClient, me: rootMe } = await setUpDistrict(server, "Matrix Unified");
  const root: Principal = {
    key: "district_admin",
    auth: "session",
    personId: rootMe.person.id,
    email: rootMe.person.email,
    cookie: rootClient.cookie,
    csrfToken: rootClient.csrfToken,
    bearer: null,
  };
  const [schoolA, schoolB] = await Promise.all([makeSchool(rootClient, { name: unique("School A ") }), makeSchool(rootClient, { name: unique("School B ") })]);
  const schoolOf = (s: "A" | "B" | null) => (s === "A" ? schoolA.id : s === "B" ? schoolB.id : null);

  const makePerson: MatrixWorld["makePerson"] = async (roles, opts = {}) => {
    const email = `${unique("m")}@example.org`;
    const givenName = unique("Given");
    const familyName = unique("Family");
    const isStudent = roles.some((r) => r.role === "student" || r.role === "student_tech");
    const res = await send(baseUrl, root, "POST", "/api/v1/people", {
      body: {
        givenName,
        familyName,
        email,
        roles: roles.map((r) => ({ role: r.role, schoolId: schoolOf(r.school) })),
        ...(opts.withPassword === false ? {} : { password: PASSWORD }),
        ...(isStudent ? { gradeLevel: opts.gradeLevel ?? "07" } : {}),
      },
    });
    if (res.status !== 201) throw new Error(`makePerson failed: ${res.status} ${res.text}`);
    return { id: (JSON.parse(res.text) as TPerson).id, email, name: `${givenName} ${familyName}` };
  };

  const principals = new Map<string, Principal>();
  const signedInActors = Object.keys(ROLES_OF) as SignedInActor[];
  const actors = await Promise.all(
    signedInActors.map(async (actor) => {
      const someone = await makePerson(ROLES_OF[actor]);
      const session = await signInAs(baseUrl, actor, someone.email);
      principals.set(`${actor}|session`, session);
      principals.set(`${actor}|token`, await tokenFor(baseUrl, session));
      return [actor, someone] as const;
    }),
  );
  const [teacherA2, teacherB, studentA2, coachA2, coachB] = await Promise.all([
    makePerson([{ role: "teacher", school: "A" }]),
    makePerson([{ role: "teacher", school: "B" }]),
    makePerson([{ role: "student", school: "A" }], { withPassword: false }),
    makePerson([{ role: "coach", school: "A" }]),
    makePerson([{ role: "coach", school: "B" }]),
  ]);
  const teacherA2Session = await signInAs(baseUrl, "teacher", teacherA2.email);
  const revokedToken = await tokenFor(baseUrl, teacherA2Session);
  const tokens = await send(baseUrl, teacherA2Session, "GET", "/api/v1/me/tokens");
  const revokedId = (JSON.parse(tokens.text) as { items: { id: string; prefix: string }[] }).items.find((t) => revokedToken.bearer?.startsWith(t.prefix))?.id;
  const revoked = await send(baseUrl, teacherA2Session, "DELETE", `/api/v1/me/tokens/${revokedId ?? "none"}`);
  if (revoked.status !== 204) throw new Error(`revoking a token failed: ${revoked.status} ${revoked.text}`);
  return {
    server,
    dialect,
    root,
    rootClient,
    schoolA,
    schoolB,
    people: Object.fromEntries(actors) as Record<SignedInActor, Someone>,
    teacherA2,
    teacherB,
    studentA2,
    coachA2,
    coachB,
    teacherA2Session,
    revokedToken,
    principal(actor, auth) {
      if (actor === "anonymous") return ANONYMOUS;
      const p = principals.get(`${actor}|${auth}`);
      if (!p) throw new Error(`no principal ${actor} by ${auth}`);
      return p;
    },
    async freshPrincipal(actor, auth) {
      if (actor === "anonymous") return ANONYMOUS;
      const someone = await makePerson(ROLES_OF[actor]);
      const session = await signInAs(baseUrl, actor, someone.email);
      return auth === "token" ? tokenFor(baseUrl, session) : session;
    },
    makePerson,
    signIn: (someone, key = "teacher") => signInAs(baseUrl, key, someone.email),
  };
}

/** Adds a class at a school with its teachers and students, straight into the tables (classes come only from roster imports). */
export async function insertClass(world: MatrixWorld, opts: { schoolId: string; teacherIds: string[]; studentIds: string[] }): Promise<string> {
  const db = world.server.ctx.db;
  const districtId = (await db.selectFrom("schools").select("district_id").where("id", "=", opts.schoolId).executeTakeFirstOrThrow()).district_id;
  const at = nowIso();
  const courseId = newId();
  const classId = newId();
  const audit = { district_id: districtId, status: "active" as const, created_at: at, updated_at: at, deactivated_at: null };
  await db
    .insertInto("courses")
    .values({ ...audit, id: courseId, source_id: unique("course-"), title: unique("Course "), course_code: null, grades: null, subjects: null, school_year_id: null, school_id: opts.schoolId })
    .execute();
  await db
    .insertInto("classes")
    .values({ ...audit, id: classId, source_id: unique("class-"), school_id: opts.schoolId, course_id: courseId, title: unique("Class "), class_code: null, class_type: "scheduled", location: null, grades: null, subjects: null, periods: null })
    .execute();
  const members = [...opts.teacherIds.map((id) => ({ id, role: "teacher" as const })), ...opts.studentIds.map((id) => ({ id, role: "student" as const }))];
  if (members.length) {
    await db
      .insertInto("enrollments")
      .values(members.map((m) => ({ ...audit, id: newId(), source_id: unique("enr-"), class_id: classId, person_id: m.id, school_id: opts.schoolId, role: m.role, is_primary: 1, begin_date: null, end_date: null })))
      .execute();
  }
  return classId;
}

// ---- Checking the declarations ----

export type PlannedCell = {
  route: RouteMatrix;
  actor: ActorKey;
  auth: AuthMode;
  target: TargetKey;
  expectation: Outcome | KnownGap;
  name: string;
};

const isNa = (e: Expectation): e is NotApplicable => typeof e === "object" && "na" in e;
const isByAuth = (e: Expectation): e is ByAuth => typeof e === "object" && "session" in e && "token" in e;
const isPerTarget = (e: ActorExpectation): e is Partial<Record<TargetKey, Expectation>> =>
  typeof e === "object" && !("status" in e) && !("na" in e) && !("session" in e);

export const routeLabel = (r: RouteMatrix): string => (r.variant ? `${r.route} [${r.variant}]` : r.route);

/** Problems with a declaration: a target without an expectation for some actor, or an expectation for no target. */
export function declarationProblems(m: ModuleMatrix): string[] {
  const problems: string[] = [];
  for (const r of m.routes) {
    const targets = Object.keys(r.targets) as TargetKey[];
    if (targets.length === 0) problems.push(`${routeLabel(r)}: no targets`);
    for (const actor of ACTORS) {
      const e = r.expect[actor];
      if (!isPerTarget(e)) continue;
      for (const t of targets) if (e[t] === undefined) problems.push(`${routeLabel(r)}: ${actor} has no expectation for target ${t}`);
      for (const t of Object.keys(e)) if (!targets.includes(t as TargetKey)) problems.push(`${routeLabel(r)}: ${actor} expects target ${t}, which the route does not build`);
    }
  }
  return problems;
}

/** Every runnable cell of a module: actor × auth mode × target, with not-applicable cells left out. */
export function planCells(m: ModuleMatrix): PlannedCell[] {
  const cells: PlannedCell[] = [];
  for (const route of m.routes) {
    for (const actor of ACTORS) {
      const e = route.expect[actor];
      for (const target of Object.keys(route.targets) as TargetKey[]) {
        const perTarget = isPerTarget(e) ? e[target] : e;
        const modes: AuthMode[] = actor === "anonymous" ? ["none"] : ["session", "token"];
        for (const auth of modes) {
          const raw = perTarget !== undefined && isByAuth(perTarget) ? (auth === "token" ? perTarget.token : perTarget.session) : perTarget;
          if (raw === undefined || isNa(raw) || isByAuth(raw)) continue;
          const expectation = typeof raw === "number" ? { status: raw } : raw;
          cells.push({ route, actor, auth, target, expectation, name: `${routeLabel(route)} · ${actor} by ${auth} · ${target}` });
        }
      }
    }
  }
  return cells;
}

/** Runs one cell; returns what differed from the expectation, or null when it held. */
export async function runCell(world: MatrixWorld, cell: PlannedCell): Promise<string | null> {
  const me = world.principal(cell.actor, cell.auth);
  const builder = cell.route.targets[cell.target];
  if (!builder) return `no target ${cell.target}`;
  const req = await builder({ world, actor: cell.actor, auth: cell.auth, me });
  const method = cell.route.route.slice(0, cell.route.route.indexOf(" "));
  const res = await send(world.server.baseUrl, req.as ?? me, method, req.path, { body: req.body, raw: req.raw });
  const want = cell.expectation;
  if (res.status !== want.status) return `expected ${want.status}, got ${res.status}: ${res.text.slice(0, 200)}`;
  if (res.status < 300 && req.probe) {
    if (want.sees === undefined) return "the target has a probe: declare sees(…) or hidden(…)";
    let text = res.text;
    let page = req.isList ? (JSON.parse(res.text) as { nextCursor?: string | null }) : {};
    for (let n = 0; page.nextCursor && n < 100; n++) {
      const next = await send(world.server.baseUrl, req.as ?? me, method, `${req.path}${req.path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(page.nextCursor)}`);
      if (next.status !== res.status) return `page ${n + 2} answered ${next.status}: ${next.text.slice(0, 200)}`;
      text += next.text;
      page = JSON.parse(next.text) as { nextCursor?: string | null };
    }
    const saw = req.probe({ ...res, text });
    if (saw !== want.sees) return want.sees ? "the target record is missing from the answer" : "the target record is in the answer";
  }
  return null;
}

/**
 * Checks that hold for every route without a declaration of their own: a cookie-authenticated write
 * without its X-CSRF-Token is refused (403 csrf_failed) before anything happens, and a revoked API
 * token is refused (401) on every /api route. Returns what differed, one line per target.
 */
export async function runTransportChecks(world: MatrixWorld, route: RouteMatrix): Promise<string[]> {
  const method = route.route.slice(0, route.route.indexOf(" "));
  const problems: string[] = [];
  for (const [target, builder] of Object.entries(route.targets)) {
    if (!builder) continue;
    const admin = world.principal("district_admin", "session");
    const req = await builder({ world, actor: "district_admin", auth: "session", me: admin });
    if (method !== "GET") {
      const withoutCsrf: Principal = { ...(req.as ?? admin), csrfToken: null };
      const res = await send(world.server.baseUrl, withoutCsrf, method, req.path, { body: req.body, raw: req.raw });
      if (route.sessionless) {
        if (res.text.includes('"csrf_failed"') || res.status >= 500) problems.push(`${target}: a sessionless route asked a cookie write for X-CSRF-Token or failed: ${res.status} ${res.text.slice(0, 120)}`);
      } else if (res.status !== 403 || !res.text.includes('"csrf_failed"')) problems.push(`${target}: a cookie write without X-CSRF-Token got ${res.status} ${res.text.slice(0, 120)}`);
    }
    if (req.path.startsWith("/api/")) {
      const res = await send(world.server.baseUrl, world.revokedToken, method, req.path, { body: req.body, raw: req.raw });
      if (res.status !== 401) problems.push(`${target}: a revoked token got ${res.status} ${res.text.slice(0, 120)}`);
    }
  }
  return problems;
}

/** Runs `tasks` at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await task(item);
    }
  });
  await Promise.all(workers);
}

/** The routes the server answers (`METHOD /path`, `:param` style), read from its route tree; HEAD and the static files left out. */
export function servedRoutes(world: MatrixWorld): string[] {
  const tree = world.server.app.printRoutes({ commonPrefix: false });
  const stack: { depth: number; path: string }[] = [];
  const routes: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? "").length / 4;
    while (stack.length > depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? "") + (m[2] ?? "");
    stack.push({ depth, path });
    for (const method of (m[3] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      if (path === "/*" || path === "*") continue; // the built client's files
      // The WebSocket endpoint: its refusals (anonymous, cross-site cookie, forbidden topic) are
      // tested over real sockets in server/platform/realtime.test.ts.
      if (path === "/api/v1/realtime") continue;
      routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

/** The routes `/api/v1/openapi.json` documents, in `:param` style. */
export async function documentedRoutes(world: MatrixWorld): Promise<string[]> {
  const spec = (await (await fetch(`${world.server.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ["get", "post", "patch", "put", "delete"].includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
  );
}
