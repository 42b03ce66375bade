import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import yazl from "yazl";
import type { TRosterImport, TRosterImportReport } from "../../shared/schemas/rostering.js";
import type { ApiClient, ApiResponse } from "./client.js";

// Small OneRoster CSV sets for tests: built as data, written as real files (optionally with a BOM
// and CRLF line ends, as SIS exports do), zipped with yazl, uploaded over real HTTP.

export type Table = { header: string[]; rows: Record<string, string>[] };
export type OneRosterSet = { manifest: [string, string][]; files: Record<string, Table> };

const ORGS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"];
const SESSIONS = ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"];
const COURSES = ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"];
const CLASSES = [
  "sourcedId",
  "status",
  "dateLastModified",
  "title",
  "grades",
  "courseSourcedId",
  "classCode",
  "classType",
  "location",
  "schoolSourcedId",
  "termSourcedIds",
  "subjects",
  "subjectCodes",
  "periods",
];
export const USERS_11 = [
  "sourcedId",
  "status",
  "dateLastModified",
  "enabledUser",
  "orgSourcedIds",
  "role",
  "username",
  "userIds",
  "givenName",
  "familyName",
  "middleName",
  "identifier",
  "email",
  "sms",
  "phone",
  "agentSourcedIds",
  "grades",
  "password",
];
const ENROLLMENTS = ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"];

/**
 * A district with two schools, a school year with two terms, two courses, three classes,
 * an administrator, three teachers (one an aide), six students and a parent.
 * `tag` makes sourcedIds and emails unique per test.
 */
export function smallSet(tag: string): OneRosterSet {
  const t = (s: string) => `${tag}-${s}`;
  const user = (
    id: string,
    role: string,
    org: string,
    given: string,
    family: string,
    extra: Partial<Record<string, string>> = {},
  ): Record<string, string> => ({
    sourcedId: t(id),
    enabledUser: "true",
    orgSourcedIds: org,
    role,
    username: `${id}@${tag}.example.org`,
    givenName: given,
    familyName: family,
    email: `${id}@${tag}.example.org`,
    ...extra,
  });
  return {
    manifest: [
      ["manifest.version", "1.0"],
      ["oneroster.version", "1.1"],
      ["file.academicSessions", "bulk"],
      ["file.categories", "absent"],
      ["file.classes", "bulk"],
      ["file.courses", "bulk"],
      ["file.demographics", "absent"],
      ["file.enrollments", "bulk"],
      ["file.orgs", "bulk"],
      ["file.users", "bulk"],
      ["source.systemName", "Test SIS"],
    ],
    files: {
      "orgs.csv": {
        header: ORGS,
        rows: [
          { sourcedId: t("district"), name: `District ${tag}`, type: "district" },
          { sourcedId: t("oak"), name: `Oak Elementary ${tag}`, type: "school", identifier: `OAK-${tag}`, parentSourcedId: t("district") },
          { sourcedId: t("pine"), name: `Pine High ${tag}`, type: "school", identifier: `PINE-${tag}`, parentSourcedId: t("district") },
        ],
      },
      "academicSessions.csv": {
        header: SESSIONS,
        rows: [
          { sourcedId: t("y2027"), title: "2026-27", type: "schoolYear", startDate: "2026-08-15", endDate: "2027-06-15", schoolYear: "2027" },
          { sourcedId: t("fall"), title: "Fall 2026", type: "term", startDate: "2026-08-15", endDate: "2026-12-20", parentSourcedId: t("y2027"), schoolYear: "2027" },
          { sourcedId: t("spring"), title: "Spring 2027", type: "term", startDate: "2027-01-05", endDate: "2027-06-15", parentSourcedId: t("y2027"), schoolYear: "2027" },
        ],
      },
      "courses.csv": {
        header: COURSES,
        rows: [
          { sourcedId: t("math3"), schoolYearSourcedId: t("y2027"), title: "Math 3", courseCode: "M3", grades: "03", orgSourcedId: t("oak"), subjects: "Mathematics" },
          { sourcedId: t("bio"), schoolYearSourcedId: t("y2027"), title: "Biology", courseCode: "BIO", grades: "09,10", orgSourcedId: t("pine"), subjects: "Science,Life Science" },
        ],
      },
      "classes.csv": {
        header: CLASSES,
        rows: [
          { sourcedId: t("c-math3a"), title: "Math 3, Room 12", grades: "03", courseSourcedId: t("math3"), classCode: "M3-A", classType: "scheduled", location: "Room 12", schoolSourcedId: t("oak"), termSourcedIds: `${t("fall")},${t("spring")}`, subjects: "Mathematics", periods: "1" },
          { sourcedId: t("c-bio1"), title: "Biology P1", grades: "09,10", courseSourcedId: t("bio"), classCode: "BIO-1", classType: "scheduled", location: "Lab 2", schoolSourcedId: t("pine"), termSourcedIds: t("fall"), subjects: "Science", periods: "1,2" },
          { sourcedId: t("c-bio2"), title: "Biology P3", grades: "09,10", courseSourcedId: t("bio"), classCode: "BIO-2", classType: "scheduled", schoolSourcedId: t("pine"), termSourcedIds: t("spring"), subjects: "Science", periods: "3" },
        ],
      },
      "users.csv": {
        header: USERS_11,
        rows: [
          user("admin1", "administrator", t("pine"), "Paula", "Principal"),
          user("t-oak", "teacher", t("oak"), "Terry", "Oakes", { identifier: "E100" }),
          user("t-pine", "teacher", t("pine"), "Tina", "Pinecrest"),
          user("aide1", "aide", `${t("oak")},${t("pine")}`, "Alex", "Aide"),
          user("s1", "student", t("oak"), "Sam", "One", { grades: "03", identifier: "100001" }),
          user("s2", "student", t("oak"), "Sara", "Two", { grades: "03", identifier: "100002" }),
          user("s3", "student", t("oak"), "Sid", "Three", { grades: "03", identifier: "100003", email: "" }),
          user("s4", "student", t("pine"), "Sue", "Four", { grades: "09", identifier: "200004" }),
          user("s5", "student", t("pine"), "Stan", "Five", { grades: "10", identifier: "200005" }),
          user("s6", "student", t("pine"), "Sky", "Six", { grades: "10", identifier: "200006" }),
          user("p1", "parent", t("oak"), "Pat", "Parent"),
        ],
      },
      "enrollments.csv": {
        header: ENROLLMENTS,
        rows: [
          { sourcedId: t("e1"), classSourcedId: t("c-math3a"), schoolSourcedId: t("oak"), userSourcedId: t("t-oak"), role: "teacher", primary: "true" },
          { sourcedId: t("e2"), classSourcedId: t("c-math3a"), schoolSourcedId: t("oak"), userSourcedId: t("aide1"), role: "aide", primary: "false" },
          { sourcedId: t("e3"), classSourcedId: t("c-math3a"), schoolSourcedId: t("oak"), userSourcedId: t("s1"), role: "student", beginDate: "2026-08-15", endDate: "2027-06-15" },
          { sourcedId: t("e4"), classSourcedId: t("c-math3a"), schoolSourcedId: t("oak"), userSourcedId: t("s2"), role: "student" },
          { sourcedId: t("e5"), classSourcedId: t("c-math3a"), schoolSourcedId: t("oak"), userSourcedId: t("s3"), role: "student" },
          { sourcedId: t("e6"), classSourcedId: t("c-bio1"), schoolSourcedId: t("pine"), userSourcedId: t("t-pine"), role: "teacher", primary: "true" },
          { sourcedId: t("e7"), classSourcedId: t("c-bio1"), schoolSourcedId: t("pine"), userSourcedId: t("s4"), role: "student" },
          { sourcedId: t("e8"), classSourcedId: t("c-bio1"), schoolSourcedId: t("pine"), userSourcedId: t("s5"), role: "student" },
          { sourcedId: t("e9"), classSourcedId: t("c-bio2"), schoolSourcedId: t("pine"), userSourcedId: t("t-pine"), role: "teacher", primary: "true" },
          { sourcedId: t("e10"), classSourcedId: t("c-bio2"), schoolSourcedId: t("pine"), userSourcedId: t("s6"), role: "student" },
          { sourcedId: t("e11"), classSourcedId: t("c-bio2"), schoolSourcedId: t("pine"), userSourcedId: t("s5"), role: "student" },
        ],
      },
    },
  };
}

/**
 * `smallSet` grown to a first import that takes a while: `students` more students, each enrolled in
 * one of its classes. For tests of what happens while a long import writes.
 */
export function largeSet(tag: string, students: number): OneRosterSet {
  const set = smallSet(tag);
  const users = set.files["users.csv"];
  const enrollments = set.files["enrollments.csv"];
  if (!users || !enrollments) throw new Error("smallSet lacks users or enrollments");
  const classes = [
    { id: `${tag}-c-math3a`, school: `${tag}-oak`, grade: "03" },
    { id: `${tag}-c-bio1`, school: `${tag}-pine`, grade: "09" },
    { id: `${tag}-c-bio2`, school: `${tag}-pine`, grade: "10" },
  ] as const;
  for (let i = 0; i < students; i++) {
    const c = classes[i % classes.length] ?? classes[0];
    const id = `bulk${i}`;
    users.rows.push({
      sourcedId: `${tag}-${id}`,
      enabledUser: "true",
      orgSourcedIds: c.school,
      role: "student",
      username: `${id}@${tag}.example.org`,
      givenName: `Given${i}`,
      familyName: `Family${i}`,
      email: `${id}@${tag}.example.org`,
      grades: c.grade,
      identifier: String(900_000 + i),
    });
    enrollments.rows.push({ sourcedId: `${tag}-be${i}`, classSourcedId: c.id, schoolSourcedId: c.school, userSourcedId: `${tag}-${id}`, role: "student" });
  }
  return set;
}

/** A deep copy, to change one set without touching another. */
export function cloneSet(set: OneRosterSet): OneRosterSet {
  return JSON.parse(JSON.stringify(set)) as OneRosterSet;
}

export function tableCsv(table: Table, opts: { bom?: boolean; crlf?: boolean; delimiter?: string } = {}): string {
  const body = stringify([table.header, ...table.rows.map((r) => table.header.map((h) => r[h] ?? ""))], {
    record_delimiter: opts.crlf === false ? "unix" : "windows",
    delimiter: opts.delimiter ?? ",",
  });
  return (opts.bom === false ? "" : "\uFEFF") + body;
}

export function setFiles(set: OneRosterSet, opts: { bom?: boolean; crlf?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {
    "manifest.csv": tableCsv({ header: ["propertyName", "value"], rows: set.manifest.map(([propertyName, value]) => ({ propertyName, value })) }, opts),
  };
  for (const [name, table] of Object.entries(set.files)) files[name] = tableCsv(table, opts);
  return files;
}

/** Writes the files into `dir` (created if needed). */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** A .zip of the files, in memory. */
export function zipFiles(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

/**
 * POSTs a file as the request body with the client's session (or token), like the admin page does.
 * Mass deactivation is allowed unless the query says otherwise: tests import set after set, each
 * with its own sourcedIds, into one district, so each bulk set deactivates the one before it, which
 * is exactly what the guard stops (oneroster/mass-deactivation.ts; its own tests send "false").
 */
export async function uploadImport<T = TRosterImportReport>(
  client: ApiClient,
  body: Buffer | string,
  query: Record<string, string> = {},
  contentType = "application/zip",
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (client.cookie) headers.cookie = client.cookie;
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
  if (client.csrfToken) headers["x-csrf-token"] = client.csrfToken;
  const qs = new URLSearchParams({ wait: "true", allowMassDeactivation: "true", ...query }).toString();
  const res = await fetch(`${client.baseUrl}/api/v1/rostering/imports?${qs}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("application/json") && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

export type { TRosterImport };
