import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import { NameLimits, RosterLimits } from "../../../shared/limits.js";
import type { Role } from "../../../shared/roles.js";
import { ZEmail } from "../../../shared/schemas/people.js";
import type { TRosterProgress } from "../../../shared/schemas/rostering.js";
import type { DB } from "../../db/schema.js";
import { bulkId } from "./bulk-ids.js";
import { CsvReadError, guessWrongDelimiter, openCsv } from "./csv-reader.js";
import { emptyEntityCounts, IssueLog } from "./issues.js";
import type { PlanResult } from "./oneroster/state.js";
import { loadGrants, loadPeople, loadSchools, type PersonRef } from "./rostering.loads.js";
import type { SpoolWriter } from "./spool.js";

// The plain staff CSV for districts without OneRoster: name, email, school, role. People are
// matched by email; new ones are added, names brought up to date, missing role grants added.
// Nobody is deactivated or loses a role: a staff list is not a full roster.

const HEADER_ALIASES: Record<string, "name" | "given" | "family" | "email" | "school" | "role"> = {
  name: "name",
  fullname: "name",
  givenname: "given",
  firstname: "given",
  familyname: "family",
  lastname: "family",
  surname: "family",
  email: "email",
  emailaddress: "email",
  school: "school",
  schoolname: "school",
  schoolcode: "school",
  role: "role",
};

const ROLE_ALIASES: Record<string, Role> = {
  teacher: "teacher",
  aide: "teacher",
  coach: "coach",
  technology_coach: "coach",
  instructional_coach: "coach",
  school_leader: "school_leader",
  leader: "school_leader",
  principal: "school_leader",
  assistant_principal: "school_leader",
  administrator: "school_leader",
  it_staff: "it_staff",
  it: "it_staff",
  technician: "it_staff",
};

const normalizeHeader = (h: string) => h.toLowerCase().replace(/[\s_\-.]/g, "");
const normalizeRole = (r: string) => r.trim().toLowerCase().replace(/[\s-]+/g, "_");

/** "Mary Ann Smith" → Mary Ann / Smith; "Smith, Mary Ann" → Mary Ann / Smith. */
export function splitFullName(name: string): { given: string; family: string } | null {
  const trimmed = name.trim();
  if (trimmed.includes(",")) {
    const [family, ...rest] = trimmed.split(",");
    const given = rest.join(",").trim();
    if (family?.trim() && given) return { given, family: family.trim() };
    return null;
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  const family = words.pop();
  if (family === undefined || words.length === 0) return null;
  return { given: words.join(" "), family };
}

/** Plans a staff CSV import into the spool; the result has the same shape as a OneRoster plan. */
export async function planStaffImport(
  db: Kysely<DB>,
  districtId: string,
  input: Readable,
  opts: { spool: SpoolWriter; maxFileBytes: number; maxIssues: number; fileName: string; size: number; onProgress?: (p: TRosterProgress) => void },
): Promise<PlanResult> {
  const file = opts.fileName;
  const issues = new IssueLog(opts.maxIssues);
  const entities = emptyEntityCounts();
  const result: PlanResult = { version: null, modes: { [file]: "bulk" }, entities, skippedRoles: {}, issues };
  const counts = entities.people;

  const schools = await loadSchools(db, districtId);
  const schoolByKey = new Map<string, string>();
  for (const s of schools) {
    schoolByKey.set(s.name.toLowerCase(), s.id);
    if (s.code) schoolByKey.set(s.code.toLowerCase(), s.id);
  }
  const people = await loadPeople(db, districtId);
  const byEmail = new Map<string, PersonRef>();
  for (const p of people) if (p.email !== null) byEmail.set(p.email, p);
  const grants = new Map<string, Set<string>>();
  for (const g of await loadGrants(db, districtId)) {
    const set = grants.get(g.person_id) ?? new Set<string>();
    set.add(`${g.role}|${g.school_id ?? ""}`);
    grants.set(g.person_id, set);
  }

  let bytesRead = 0;
  let rowsRead = 0;
  let opened;
  try {
    opened = await openCsv(input, { maxBytes: opts.maxFileBytes, onBytes: (n) => (bytesRead += n) });
  } catch (err) {
    if (err instanceof CsvReadError) {
      issues.unreadable(file, err);
      return result;
    }
    throw err;
  }
  const { header, batches } = opened;
  if (header.length === 0) {
    issues.blocker(file, 1, null, "the file is empty; it needs a header line: name,email,school,role");
    return result;
  }
  const delimiter = guessWrongDelimiter(header);
  if (delimiter) {
    issues.blocker(file, 1, null, `the file is separated by ${delimiter}; use commas`);
    return result;
  }
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const key = HEADER_ALIASES[normalizeHeader(h)];
    if (key && !at.has(key)) at.set(key, i);
  });
  const hasName = at.has("name") || (at.has("given") && at.has("family"));
  for (const [col, ok] of [
    ["name", hasName],
    ["email", at.has("email")],
    ["role", at.has("role")],
  ] as const) {
    if (!ok) issues.blocker(file, 1, col, `the header has no ${col} column (expected name,email,school,role)`);
  }
  if (issues.blocking > 0) return result;
  const cell = (cells: string[], key: "name" | "given" | "family" | "email" | "school" | "role") => {
    const i = at.get(key);
    return i === undefined ? "" : (cells[i] ?? "").trim();
  };

  const firstLine = new Map<string, { line: number; given: string; family: string; personId: string }>();
  try {
    for await (const batch of batches) {
      for (const { line, cells } of batch) {
        rowsRead++;
        if (rowsRead > RosterLimits.maxStaffRows) {
          issues.blocker(file, line, null, `the file has more than ${RosterLimits.maxStaffRows} rows; split it`);
          return result;
        }
        const reject = (column: string | null, message: string) => {
          issues.error(file, line, column, message);
          counts.rejected++;
        };
        let given: string;
        let family: string;
        if (at.has("given") && at.has("family")) {
          given = cell(cells, "given");
          family = cell(cells, "family");
          if (!given || !family) {
            reject(given ? "family name" : "given name", "the name is incomplete");
            continue;
          }
        } else {
          const split = splitFullName(cell(cells, "name"));
          if (!split) {
            reject("name", `"${cell(cells, "name")}" needs a given and a family name`);
            continue;
          }
          ({ given, family } = split);
        }
        if (given.length > NameLimits.max || family.length > NameLimits.max) {
          reject("name", `names are at most ${NameLimits.max} characters`);
          continue;
        }
        const email = ZEmail.safeParse(cell(cells, "email"));
        if (!email.success) {
          reject("email", cell(cells, "email") === "" ? "email is empty; it is required" : `"${cell(cells, "email")}" is not a valid email address`);
          continue;
        }
        const rawRole = cell(cells, "role");
        const role = ROLE_ALIASES[normalizeRole(rawRole)];
        if (normalizeRole(rawRole) === "district_admin") {
          reject("role", "district admins are not granted by import; make them admins in the directory");
          continue;
        }
        if (!role) {
          reject(
            "role",
            rawRole === ""
              ? "role is empty; write teacher, coach, principal (school leader) or IT staff"
              : `role "${rawRole}" is not one Coachwork knows; write teacher (or aide), coach, principal (or school leader, assistant principal) or IT staff (or technician)`,
          );
          continue;
        }
        const schoolName = cell(cells, "school");
        let schoolId: string | null = null;
        if (schoolName !== "") {
          const found = schoolByKey.get(schoolName.toLowerCase());
          if (!found) {
            reject("school", `no school is called "${schoolName}" (add it under Schools first, or check the spelling)`);
            continue;
          }
          schoolId = found;
        }
        const earlier = firstLine.get(email.data);
        let personId: string;
        if (earlier) {
          if (earlier.given !== given || earlier.family !== family) {
            reject("name", `line ${earlier.line} gives ${email.data} the name ${earlier.given} ${earlier.family}`);
            continue;
          }
          personId = earlier.personId;
        } else {
          const existing = byEmail.get(email.data);
          personId = existing?.id ?? bulkId();
          firstLine.set(email.data, { line, given, family, personId });
          if (!existing) {
            result.entities.people.created++;
            opts.spool.push({
              op: "person",
              id: personId,
              sourceId: null,
              givenName: given,
              familyName: family,
              email: email.data,
              gradeLevel: null,
              studentNumber: null,
              status: "active",
              deactivatedAt: null,
            });
          } else if (existing.given_name !== given || existing.family_name !== family || existing.status !== "active") {
            counts.updated++;
            opts.spool.push({
              op: "person",
              id: personId,
              sourceId: existing.source_id,
              givenName: given,
              familyName: family,
              email: existing.email,
              gradeLevel: existing.grade_level,
              studentNumber: existing.student_number,
              status: "active",
              deactivatedAt: null,
            });
          } else counts.unchanged++;
        }
        const held = grants.get(personId) ?? new Set<string>();
        const key = `${role}|${schoolId ?? ""}`;
        if (held.has(key)) entities.roles.unchanged++;
        else {
          held.add(key);
          grants.set(personId, held);
          opts.spool.push({ op: "grant", id: bulkId(), personId, role, schoolId, source: null });
          entities.roles.created++;
        }
      }
      await opts.spool.flushIfFull();
      opts.onProgress?.({ phase: "reading", file, fraction: Math.min(1, bytesRead / Math.max(1, opts.size)), rowsRead });
    }
  } catch (err) {
    if (err instanceof CsvReadError) {
      issues.unreadable(file, err);
      return result;
    }
    throw err;
  }
  return result;
}
