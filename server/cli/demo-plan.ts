// The demo district as pure data: deterministic for a seed, with no database in sight,
// so it is quick to test and cheap to import.
import type { Role, SchoolLevel } from "../../shared/roles.js";
import { fold } from "../lib.js";
import {
  FAMILY_NAMES,
  OTHER_SCHOOL_KINDS,
  SCHOOL_PLACE_NAMES,
  STAFF_GIVEN_NAMES,
  STUDENT_GIVEN_NAMES,
} from "./demo-names.js";

export const DEMO_DISTRICT_NAME = "Maple Valley Unified School District";
export const DEMO_PASSWORD = "coachwork-demo";
export const DEMO_ADMIN_EMAIL = "admin@maplevalley.example.org";
/** Every demo person's source_id starts with this, which is how a re-run recognises them. */
export const DEMO_SOURCE_PREFIX = "demo:";
const STAFF_DOMAIN = "maplevalley.example.org";
const STUDENT_DOMAIN = "students.maplevalley.example.org";

export const DemoLimits = {
  maxSchoolsPerLevel: SCHOOL_PLACE_NAMES.length,
  maxStudents: 200_000,
  minStaff: 10,
  maxStaff: 20_000,
} as const;

export type DemoOptions = { schoolsPerLevel: number; students: number; staff: number; seed: number };

export type DemoSchool = { name: string; level: SchoolLevel; code: string };
export type DemoRoleGrant = { role: Role; school: string | null };
export type DemoAccountLabel = "admin" | "coach" | "principal" | "teacher";
export type DemoPerson = {
  sourceId: string;
  givenName: string;
  familyName: string;
  email: string;
  gradeLevel: string | null;
  studentNumber: string | null;
  /** Demo accounts one can sign in to; everyone else has no password. */
  account: DemoAccountLabel | null;
  /** Grants by school name (null: district-wide). */
  roles: DemoRoleGrant[];
};
export type DemoPlan = { districtName: string; schools: DemoSchool[]; people: DemoPerson[] };
// --- Deterministic randomness -------------------------------------------------------------

/** mulberry32: a tiny, well-distributed 32-bit PRNG; plenty for demo data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a, to turn a label into a 32-bit seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// One stream per entity (not one for the whole run), so person n is the same person whatever
// the sizes: re-running with more students adds people without changing the existing ones.
const streamFor = (seed: number, label: string) => mulberry32(hash32(`${seed}:${label}`));

function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

function pickWeighted<T>(rng: () => number, items: readonly T[], weightOf: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  let r = rng() * total;
  for (const item of items) {
    r -= weightOf(item);
    if (r < 0) return item;
  }
  return pick(rng, items);
}

function shuffled<T>(rng: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}

// --- The plan: pure and deterministic -------------------------------------------------------

const LEVELS: readonly SchoolLevel[] = ["elementary", "middle", "high", "other"];
const LEVEL_SUFFIX: Record<Exclude<SchoolLevel, "other">, string> = { elementary: "Elementary", middle: "Middle", high: "High" };
const LEVEL_CODE_BASE: Record<SchoolLevel, number> = { elementary: 100, middle: 300, high: 500, other: 700 };
/** Grades each level teaches; the "other" schools here are all secondary programmes. */
export const GRADES_BY_LEVEL: Record<SchoolLevel, readonly string[]> = {
  elementary: ["K", "1", "2", "3", "4", "5"],
  middle: ["6", "7", "8"],
  high: ["9", "10", "11", "12"],
  other: ["9", "10", "11", "12"],
};
// How big each kind of school is, relative to the others: about as many children in every grade,
// so a K–5 school is half again as big as a 9–12 one; "other" schools are small programmes.
const SCHOOL_SIZE: Record<SchoolLevel, number> = { elementary: 6, middle: 3, high: 4, other: 0.6 };

function planSchools(opts: DemoOptions): DemoSchool[] {
  const schools: DemoSchool[] = [];
  for (const level of LEVELS) {
    const places = shuffled(streamFor(opts.seed, `places:${level}`), SCHOOL_PLACE_NAMES).slice(0, opts.schoolsPerLevel);
    places.forEach((place, i) => {
      const suffix = level === "other" ? OTHER_SCHOOL_KINDS[i % OTHER_SCHOOL_KINDS.length] : LEVEL_SUFFIX[level];
      schools.push({ name: `${place} ${suffix}`, level, code: String(LEVEL_CODE_BASE[level] + i + 1) });
    });
  }
  return schools;
}

/** ASCII local part of an email from a name: "José" → "jose", "O'Brien" → "obrien". */
function emailPart(name: string): string {
  return fold(name).replace(/[^a-z0-9]/g, "");
}

/** Staff counts per role for `staff` people across `schools`: coaches and IT are a few percent, one leader per school. */
function staffMix(staff: number, schools: readonly DemoSchool[]) {
  const coaches = Math.max(1, Math.round(staff * 0.03));
  const itStaff = Math.max(1, Math.round(staff * 0.04));
  const highSchools = schools.filter((s) => s.level === "high").length;
  // A principal at every school and an assistant principal at each high school, when staff allows.
  const leaders = Math.min(schools.length + highSchools, Math.max(0, staff - coaches - itStaff));
  const teachers = Math.max(0, staff - coaches - itStaff - leaders);
  return { coaches, leaders, itStaff, teachers };
}

/** Takes the next `count` distinct schools from a shared rotation, spreading coverage evenly. */
function rotation(rng: () => number, schools: readonly DemoSchool[]) {
  const order = shuffled(rng, schools);
  let next = 0;
  return (count: number): DemoSchool[] => {
    const taken: DemoSchool[] = [];
    for (let k = 0; k < Math.min(count, order.length); k++) {
      const school = order[next % order.length];
      next++;
      if (school) taken.push(school);
    }
    return taken;
  };
}

/** Builds the whole demo district in memory, the same every time for the same options. */
export function planDemo(opts: DemoOptions): DemoPlan {
  const schools = planSchools(opts);
  const secondary = schools.filter((s) => s.level === "middle" || s.level === "high");
  const highSchools = schools.filter((s) => s.level === "high");
  const people: DemoPerson[] = [];
  const usedEmails = new Set<string>([DEMO_ADMIN_EMAIL]);
  const staffEmail = (given: string, family: string): string => {
    const base = `${emailPart(given)}.${emailPart(family)}`;
    let local = base;
    for (let n = 2; usedEmails.has(`${local}@${STAFF_DOMAIN}`); n++) local = `${base}${n}`;
    const email = `${local}@${STAFF_DOMAIN}`;
    usedEmails.add(email);
    return email;
  };

  people.push({
    sourceId: `${DEMO_SOURCE_PREFIX}admin`,
    givenName: "Jordan",
    familyName: "Whitaker",
    email: DEMO_ADMIN_EMAIL,
    gradeLevel: null,
    studentNumber: null,
    account: "admin",
    roles: [{ role: "district_admin", school: null }],
  });

  const mix = staffMix(opts.staff, schools);
  const coachSchools = rotation(streamFor(opts.seed, "coach-rotation"), schools);
  const itSchools = rotation(streamFor(opts.seed, "it-rotation"), schools);
  const districtWideIt = Math.ceil(mix.itStaff / 3);
  // Staff indexes run: coaches, then school leaders, then IT staff, then teachers.
  const leadersFrom = mix.coaches;
  const itFrom = leadersFrom + mix.leaders;
  const teachersFrom = itFrom + mix.itStaff;
  for (let i = 0; i < opts.staff; i++) {
    const rng = streamFor(opts.seed, `staff:${i}`);
    const givenName = pick(rng, STAFF_GIVEN_NAMES);
    const familyName = pick(rng, FAMILY_NAMES);
    let roles: DemoRoleGrant[];
    let account: DemoAccountLabel | null = null;
    if (i < leadersFrom) {
      roles = coachSchools(2 + Math.floor(rng() * 3)).map((s) => ({ role: "coach", school: s.name }));
      if (i === 0) account = "coach";
    } else if (i < itFrom) {
      const k = i - leadersFrom;
      // A principal at every school first, then an assistant principal at each high school.
      const school = k < schools.length ? schools[k] : highSchools[k - schools.length];
      if (!school) throw new Error(`no school for school leader ${k}`);
      roles = [{ role: "school_leader", school: school.name }];
      if (k === 0) account = "principal";
    } else if (i < teachersFrom) {
      roles =
        i - itFrom < districtWideIt
          ? [{ role: "it_staff", school: null }]
          : itSchools(2 + Math.floor(rng() * 4)).map((s) => ({ role: "it_staff", school: s.name }));
    } else {
      const home = pickWeighted(rng, schools, (s) => SCHOOL_SIZE[s.level]);
      roles = [{ role: "teacher", school: home.name }];
      // Some specialists (music, art, ESL) split their week between two schools.
      if (rng() < 0.1) {
        const second = pick(rng, schools);
        if (second.name !== home.name) roles.push({ role: "teacher", school: second.name });
      }
      if (i === teachersFrom) account = "teacher";
    }
    people.push({
      sourceId: `${DEMO_SOURCE_PREFIX}staff:${i}`,
      givenName,
      familyName,
      email: staffEmail(givenName, familyName),
      gradeLevel: null,
      studentNumber: null,
      account,
      roles,
    });
  }

  // Six-digit student numbers: an affine map of the index onto 100000–999999. The multiplier is
  // coprime to 900000, so numbers never repeat, and large, so neighbours do not look sequential.
  const numberOffset = hash32(`${opts.seed}:student-numbers`) % 900_000;
  for (let i = 0; i < opts.students; i++) {
    const rng = streamFor(opts.seed, `student:${i}`);
    const givenName = pick(rng, STUDENT_GIVEN_NAMES);
    const familyName = pick(rng, FAMILY_NAMES);
    const school = pickWeighted(rng, schools, (s) => SCHOOL_SIZE[s.level]);
    const gradeLevel = pick(rng, GRADES_BY_LEVEL[school.level]);
    const studentNumber = String(100_000 + ((i * 738_317 + numberOffset) % 900_000));
    const roles: DemoRoleGrant[] = [{ role: "student", school: school.name }];
    // About one secondary student in fifty helps run the school's help desk.
    if (secondary.includes(school) && rng() < 0.02) roles.push({ role: "student_tech", school: school.name });
    people.push({
      sourceId: `${DEMO_SOURCE_PREFIX}student:${i}`,
      givenName,
      familyName,
      email: `s${studentNumber}@${STUDENT_DOMAIN}`,
      gradeLevel,
      studentNumber,
      account: null,
      roles,
    });
  }
  return { districtName: DEMO_DISTRICT_NAME, schools, people };
}
