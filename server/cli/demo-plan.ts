// The demo district as pure data: deterministic for a seed, with no database in sight,
// so it is quick to test and cheap to import.
import type { Role, SchoolLevel } from "../../shared/roles.js";
import type { CycleStage } from "../../shared/schemas/coaching.js";
import { fold } from "../lib.js";
import { addDays, weekOf } from "../modules/coaching/calendar.js";
import { schoolYearLabel } from "../../shared/terms.js";
import { CYCLE_STORIES, ENTRY_NOTES, type DemoCycleStory } from "./demo-coaching-texts.js";
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
export type DemoAccountLabel = "admin" | "coach" | "principal" | "teacher" | "it" | "student" | "assistant";
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
      const coached = coachSchools(2 + Math.floor(rng() * 3));
      // The demo coach also coaches at the demo principal's school (the first one), so the demo
      // principal's dashboard and the demo teacher's cycles have something to show.
      const first = schools[0];
      if (i === 0 && first && !coached.includes(first)) coached.splice(coached.length - 1, 1, first);
      roles = coached.map((s) => ({ role: "coach", school: s.name }));
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
      // The first is district-wide: the help desk's escalations and punch list, and the devices.
      if (i === itFrom) account = "it";
    } else {
      const picked = pickWeighted(rng, schools, (s) => SCHOOL_SIZE[s.level]);
      // The demo teacher works at the demo principal's school, which the demo coach coaches.
      const home = i === teachersFrom ? (schools[0] ?? picked) : picked;
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
  // Two students of the first high school get accounts, for the help desk: one files tickets, the
  // other (a student tech) works its desk and kiosk. Chosen after the draw, so the data stays the same.
  const deskSchool = highSchools[0]?.name;
  const deskStudents = people.filter((p) => p.sourceId.startsWith(`${DEMO_SOURCE_PREFIX}student:`) && p.roles[0]?.school === deskSchool);
  // The first two (so a larger demo picks the same two people).
  const [student, assistant] = deskStudents.filter((p) => p.roles.length === 1);
  if (student) student.account = "student";
  if (assistant && deskSchool) {
    assistant.account = "assistant";
    assistant.roles.push({ role: "student_tech", school: deskSchool });
  }
  return { districtName: DEMO_DISTRICT_NAME, schools, people };
}

// --- The coaching log: seed 002's first months, for every demo coach ---------------------------

export type DemoCoachingInput = {
  seed: number;
  /** Entries run from July 1 of this day's school year up to the day before it. */
  today: string;
  /** Coaches by source id, with the names of the schools they coach, in a stable order. */
  coaches: readonly { sourceId: string; schools: readonly string[] }[];
  /** Source ids of the active teachers at each school (by school name), in a stable order. */
  teachersBySchool: ReadonlyMap<string, readonly string[]>;
  /** A teacher with a demo account; one coach's first cycle includes them, so the account has a cycle to open. */
  featuredTeacher?: string | null;
};

export type DemoCoachingEntry = {
  /** The entry's client_ref: a re-run recognises its entries by it. */
  ref: string;
  coach: string;
  date: string;
  minutes: number;
  category: string;
  school: string | null;
  teachers: string[];
  notes: string;
  /** The planned cycle's key, when the entry belongs to one. */
  cycle: string | null;
};

export type DemoCycleStep = { stage: CycleStage; date: string; notes: string; author: string };
export type DemoCycle = {
  key: string;
  coach: string;
  school: string;
  title: string;
  startingPoint: "outcome" | "problem";
  startingText: string;
  teachers: string[];
  status: "active" | "paused" | "complete";
  openedOn: string;
  steps: DemoCycleStep[];
};
export type DemoCoachingLog = { entries: DemoCoachingEntry[]; cycles: DemoCycle[] };

/** nth (1-based) weekday (0 = Sunday) of a month, or the last one for n = -1. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    const day = 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
    return isoDate(year, month, day);
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return isoDate(year, month, lastDay - ((last - weekday + 7) % 7));
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * A school year's working days for staff: a pre-planning week, then school from the second Monday
 * of August to the first Friday of June, without the usual US holidays and breaks.
 */
export function schoolDaysOfYear(yearStart: number): { days: string[]; firstDayOfSchool: string } {
  const firstDayOfSchool = nthWeekday(yearStart, 8, 1, 2);
  const lastDay = nthWeekday(yearStart + 1, 6, 5, 1);
  const thanksgiving = nthWeekday(yearStart, 11, 4, 4);
  const springBreak = nthWeekday(yearStart + 1, 3, 1, 2);
  const holidays = new Set<string>([
    nthWeekday(yearStart, 9, 1, 1), // Labor Day
    addDays(thanksgiving, -1),
    thanksgiving,
    addDays(thanksgiving, 1),
    nthWeekday(yearStart + 1, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(yearStart + 1, 2, 1, 3), // Presidents' Day
    nthWeekday(yearStart + 1, 5, 1, -1), // Memorial Day
    ...Array.from({ length: 5 }, (_, i) => addDays(springBreak, i)),
  ]);
  const winterBreak = { from: `${yearStart}-12-21`, to: `${yearStart + 1}-01-01` };
  const days: string[] = [];
  for (let d = addDays(firstDayOfSchool, -7); d <= lastDay; d = addDays(d, 1)) {
    const weekday = weekdayOf(d);
    if (weekday === 0 || weekday === 6 || holidays.has(d)) continue;
    if (d >= winterBreak.from && d <= winterBreak.to) continue;
    days.push(d);
  }
  return { days, firstDayOfSchool };
}

type Weights = Record<string, number>;
// Seed 002: pre-planning is accounts, devices and orientation; the first weeks of school are student
// tech support; coaching takes over once the student help desk runs.
const PRE_PLANNING: Weights = { tech_administration: 40, tech_support: 22, professional_development: 20, resource_preparation: 12, tech_literacy: 6 };
const ROLLOUT: Weights = { tech_support: 62, tech_administration: 20, tech_literacy: 10, resource_preparation: 3, professional_development: 3, co_planning: 2 };
const COACHING: Weights = {
  co_planning: 17,
  co_teaching: 13,
  modeling: 9,
  observing: 17,
  professional_development: 10,
  digital_citizenship: 6,
  resource_preparation: 8,
  tech_literacy: 5,
  tech_support: 11,
  tech_administration: 4,
};
const MINUTES: Record<string, readonly number[]> = {
  tech_support: [10, 15, 15, 20, 30, 30, 45, 60],
  tech_administration: [30, 45, 60, 60, 90, 120],
  tech_literacy: [20, 30, 45],
  co_planning: [30, 45, 45, 60],
  co_teaching: [45, 50, 60],
  modeling: [45, 50, 60],
  observing: [20, 30, 45, 50],
  professional_development: [45, 60, 60, 90],
  digital_citizenship: [30, 45, 50],
  resource_preparation: [30, 45, 60],
};
const STEP_ACTIVITY: Record<CycleStage, string> = {
  goal: "co_planning",
  co_plan: "co_planning",
  co_teach: "co_teaching",
  model: "modeling",
  observe: "observing",
  reflect: "co_planning",
  next_step: "co_planning",
};
/** One log day stays well under the 16-hour rule, even in the rollout weeks. */
const MAX_DAY_MINUTES = 660;

function weightsForWeek(week: number): Weights {
  if (week < 0) return PRE_PLANNING;
  if (week <= 3) return ROLLOUT;
  const t = Math.min(1, (week - 3) / 5);
  const keys = new Set([...Object.keys(ROLLOUT), ...Object.keys(COACHING)]);
  return Object.fromEntries([...keys].map((k) => [k, (1 - t) * (ROLLOUT[k] ?? 0) + t * (COACHING[k] ?? 0)]));
}

function sample<T>(rng: () => number, items: readonly T[], count: number): T[] {
  return shuffled(rng, items).slice(0, Math.max(0, count));
}

/**
 * Plans the demo coaching log: 5–9 entries each school day from July 1 to yesterday for every coach,
 * support-heavy for the first weeks and shifting to coaching, plus four coaching cycles per coach with
 * their steps, some entries attached. Pure and deterministic: a day's entries depend only on the seed,
 * the coach and the date, so running again later only adds the days since.
 */
/** A demo school's level from its name ("Hawthorne High"): the coaching log sees names only. */
function levelOfSchoolName(name: string): SchoolLevel {
  if (/Elementary|Primary/.test(name)) return "elementary";
  if (/Middle/.test(name)) return "middle";
  if (/High/.test(name)) return "high";
  return "other";
}

/** What a coaching entry logged to a cycle says: the cycle's own step for that kind of work. */
function cycleNote(story: DemoCycleStory, category: string): string {
  switch (category) {
    case "co_planning":
      return `follow-up planning. ${story.steps.co_plan}`;
    case "observing":
      return `checked in on the class. ${story.steps.observe}`;
    default:
      return `back in the classroom. ${story.steps.teach}`;
  }
}

export function planCoachingLog(input: DemoCoachingInput): DemoCoachingLog {
  const yearStart = Number(schoolYearLabel(input.today).slice(0, 4));
  const calendar = schoolDaysOfYear(yearStart);
  const days = calendar.days.filter((d) => d < input.today);
  const firstMonday = weekOf(calendar.firstDayOfSchool);
  const weekIndex = (date: string) => Math.floor((Date.parse(weekOf(date)) - Date.parse(firstMonday)) / (7 * 86_400_000));
  const schoolDayIndex = new Map(calendar.days.map((d, i) => [d, i]));
  const firstIndex = schoolDayIndex.get(calendar.firstDayOfSchool) ?? 5;

  const entries: DemoCoachingEntry[] = [];
  const cycles: DemoCycle[] = [];
  let featured = input.featuredTeacher ?? null;

  input.coaches.forEach((coach, coachIndex) => {
    const schools = coach.schools.filter((s) => (input.teachersBySchool.get(s) ?? []).length > 0);
    if (coach.schools.length === 0) return;
    const key = coach.sourceId.replace(/^demo:/, "");
    // Each coach works most with a few teachers per school, and never reaches about a quarter of them:
    // coverage is rarely complete.
    const focus = new Map<string, string[]>();
    const reachable = new Map<string, string[]>();
    for (const school of coach.schools) {
      const order = shuffled(streamFor(input.seed, `focus:${key}:${school}`), input.teachersBySchool.get(school) ?? []);
      reachable.set(school, order.slice(0, Math.max(1, Math.ceil(order.length * 0.75))));
      focus.set(school, order.slice(0, 6));
    }

    // Four cycles: one completed, two active, one paused; opened once the rollout settles.
    const cycleRng = streamFor(input.seed, `cycles:${key}`);
    const plans: { cycle: DemoCycle; stepDays: Map<string, DemoCycleStep[]>; plannedEnd: string; story: DemoCycleStory }[] = [];
    const statuses = ["complete", "active", "active", "paused"] as const;
    const usedTitles: string[] = [];
    statuses.forEach((plannedStatus, k) => {
      if (schools.length === 0) return;
      let school = schools[(coachIndex + k) % schools.length] ?? schools[0] ?? "";
      const teacherPool = input.teachersBySchool.get(school) ?? [];
      let teachers = sample(cycleRng, focus.get(school) ?? teacherPool, k === 1 ? 2 : 1);
      if (k === 0 && featured) {
        const home = schools.find((s) => (input.teachersBySchool.get(s) ?? []).includes(featured ?? ""));
        if (home) {
          school = home;
          teachers = [featured];
          featured = null;
        }
      }
      if (teachers.length === 0) return;
      // A story that fits the school's level, turned by coach and cycle so schools differ.
      // A coach's cycles have different titles (the loader finds a cycle again by coach and title).
      const fitting = CYCLE_STORIES.filter((st) => st.levels.includes(levelOfSchoolName(school)) && !usedTitles.includes(st.title));
      const story = fitting[(coachIndex * 2 + k) % Math.max(1, fitting.length)];
      if (!story) return;
      // Chosen whatever the date, so a later run plans the same cycles.
      usedTitles.push(story.title);
      // Opened in school weeks 4, 7, 11 and 6; the later ones are still under way.
      const openWeek = [4, 7, 11, 6][k] ?? 4;
      const spread = [1, 1.6, 1.4, 1][k] ?? 1;
      const openIndex = firstIndex + 5 * openWeek + Math.floor(cycleRng() * 3);
      const openedOn = calendar.days[openIndex];
      if (!openedOn || openedOn >= input.today) return;
      const stages: { stage: CycleStage; offset: number; notes: string }[] = [
        { stage: "goal", offset: 0, notes: story.steps.goal },
        { stage: "co_plan", offset: 3, notes: story.steps.co_plan },
        { stage: story.teachStage, offset: 8, notes: story.steps.teach },
        { stage: "observe", offset: 13, notes: story.steps.observe },
        { stage: "reflect", offset: 16, notes: story.steps.reflect },
        { stage: "next_step", offset: 19, notes: story.steps.next_step },
      ];
      const planned = plannedStatus === "paused" ? stages.slice(0, 2) : stages;
      const steps = planned.flatMap((s) => {
        const date = calendar.days[openIndex + Math.round(s.offset * spread)];
        if (!date || date >= input.today) return [];
        return [{ stage: s.stage, date, notes: s.notes, author: s.stage === "reflect" ? (teachers[0] ?? coach.sourceId) : coach.sourceId }];
      });
      const status = plannedStatus === "complete" && steps.length < planned.length ? "active" : plannedStatus;
      const cycle: DemoCycle = {
        key: `${key}:cycle:${k}`,
        coach: coach.sourceId,
        school,
        title: story.title,
        startingPoint: story.startingPoint,
        startingText: story.startingText,
        teachers,
        status,
        openedOn,
        steps,
      };
      const stepDays = new Map<string, DemoCycleStep[]>();
      for (const step of steps) stepDays.set(step.date, [...(stepDays.get(step.date) ?? []), step]);
      // The day its last planned step falls on, whether or not that day has come: entries attach to the
      // cycle up to then, so a later run plans the earlier days exactly as before.
      const lastOffset = planned[planned.length - 1]?.offset ?? 0;
      const plannedEnd = calendar.days[openIndex + Math.round(lastOffset * spread)] ?? calendar.days[calendar.days.length - 1] ?? openedOn;
      plans.push({ cycle, stepDays, plannedEnd, story });
      cycles.push(cycle);
    });

    days.forEach((date, dayNumber) => {
      const rng = streamFor(input.seed, `coaching:${key}:${date}`);
      const week = weekIndex(date);
      const weights = weightsForWeek(week);
      const isRollout = week <= 3;
      const daySchool = coach.schools[dayNumber % coach.schools.length] ?? null;
      const count = 5 + Math.floor(rng() * 5);
      let dayMinutes = 0;
      let n = 0;
      const push = (entry: Omit<DemoCoachingEntry, "ref" | "coach" | "date">): boolean => {
        if (dayMinutes + entry.minutes > MAX_DAY_MINUTES) return false;
        dayMinutes += entry.minutes;
        entries.push({ ref: `demo:${key}:${date}:${n++}`, coach: coach.sourceId, date, ...entry });
        return true;
      };

      // Cycle steps on this day come first, as entries attached to the cycle.
      for (const { cycle, stepDays } of plans) {
        for (const step of stepDays.get(date) ?? []) {
          if (step.stage === "reflect" && step.author !== coach.sourceId) continue;
          push({
            minutes: pick(rng, [30, 45, 50]),
            category: STEP_ACTIVITY[step.stage],
            school: cycle.school,
            teachers: cycle.teachers,
            notes: `${cycle.title}: ${step.notes}`,
            cycle: cycle.key,
          });
        }
      }

      while (n < count) {
        const category = pickWeighted(rng, Object.keys(weights), (k) => weights[k] ?? 0);
        let minutes = pick(rng, MINUTES[category] ?? [30]);
        if (isRollout && (category === "tech_support" || category === "tech_administration")) minutes = Math.min(120, Math.round((minutes * 1.5) / 5) * 5);
        const school = category === "tech_administration" && rng() < 0.4 ? null : rng() < 0.8 ? daySchool : pick(rng, coach.schools);
        const pool = school ? (reachable.get(school) ?? []) : [];
        const favourites = school ? (focus.get(school) ?? []) : [];
        const one = () => (pool.length === 0 ? [] : [rng() < 0.65 && favourites.length > 0 ? pick(rng, favourites) : pick(rng, pool)]);
        let teachers: string[];
        switch (category) {
          case "co_planning":
            teachers = rng() < 0.2 ? sample(rng, pool, 2 + Math.floor(rng() * 2)) : one();
            break;
          case "co_teaching":
          case "modeling":
          case "observing":
          case "digital_citizenship":
            teachers = one();
            break;
          case "professional_development":
            teachers = rng() < 0.4 ? [] : sample(rng, pool, 3 + Math.floor(rng() * 6));
            break;
          case "resource_preparation":
          case "tech_literacy":
            teachers = rng() < 0.5 ? one() : [];
            break;
          case "tech_support":
            teachers = rng() < (isRollout ? 0.15 : 0.5) ? one() : [];
            break;
          default:
            teachers = [];
        }
        // An active cycle's teacher gets some of the coaching time logged to the cycle.
        const plan = plans.find(
          ({ cycle: c, plannedEnd }) =>
            c.openedOn <= date && date <= plannedEnd && c.school === school && teachers.length === 1 && c.teachers.includes(teachers[0] ?? ""),
        );
        const cycle = plan?.cycle;
        const isCoachingTime = ["co_planning", "co_teaching", "modeling", "observing"].includes(category);
        // Time logged to a cycle is about the cycle's topic.
        const notes = plan && isCoachingTime ? `${plan.cycle.title}: ${cycleNote(plan.story, category)}` : pick(rng, ENTRY_NOTES[category] ?? [""]);
        if (!push({ minutes, category, school, teachers: [...new Set(teachers)], notes, cycle: cycle && isCoachingTime ? cycle.key : null })) {
          // A full day: log one short support call instead, to keep 5–9 entries.
          if (!push({ minutes: 10, category: "tech_support", school: daySchool, teachers: [], notes: pick(rng, ENTRY_NOTES.tech_support ?? [""]), cycle: null })) break;
        }
      }
    });
  });
  return { entries, cycles };
}
