// Example arguments for every exported repository function, from which `npm run sql` compiles the
// checked-in SQL in sql/. One `example(fn)(…)` per function (a second, labelled one where another
// branch of its SQL is worth reading); `notSql(fn, why)` for exports that run no SQL of their own.
// The arguments are typed by each function's parameters: a changed signature fails `npm run check`
// here, and a new exported function without an entry fails `npm run sql:check`. Use fixed, readable
// values (no newId(), no Date): the files must come out the same on every run.
import * as accounts from "../../server/modules/accounts/accounts.repository.js";
import * as audit from "../../server/modules/audit/audit.repository.js";
import * as classes from "../../server/modules/classes/classes.repository.js";
import * as coaching from "../../server/modules/coaching/coaching.repository.js";
import * as devices from "../../server/modules/devices/devices.repository.js";
import * as observations from "../../server/modules/observations/observations.repository.js";
import * as observationReports from "../../server/modules/observations/reports.repository.js";
import * as people from "../../server/modules/people/people.repository.js";
import * as rosteringApply from "../../server/modules/rostering/rostering.apply.js";
import * as rosteringLoads from "../../server/modules/rostering/rostering.loads.js";
import * as rostering from "../../server/modules/rostering/rostering.repository.js";
import * as schools from "../../server/modules/schools/schools.repository.js";
import * as settings from "../../server/modules/settings/settings.repository.js";
import * as sso from "../../server/modules/sso/sso.repository.js";
import * as helpdesk from "../../server/modules/helpdesk/helpdesk.repository.js";
import * as jobs from "../../server/platform/jobs.js";
import * as sessions from "../../server/auth/session-store.js";
import { example, notSql, type SqlRegistry } from "./generate.js";

const D = "district-1";

const reportFilter: observationReports.ReportFilter = {
  districtId: D,
  rubricId: "rubric-1",
  rubricVersionIds: ["version-1", "version-2"],
  schoolIds: "all",
  from: "2029-07-01",
  to: "2030-06-30",
};
const schoolTeacherFilter: observationReports.ReportFilter = { ...reportFilter, schoolIds: ["school-1"], teacherId: "teacher-1", subject: "Science", gradeBand: "6-8", sharedOnly: true };
const observationMonths: observationReports.RollupRange = { districtId: D, rubricId: "rubric-1", schoolIds: "all", fromMonth: "2029-07", toMonth: "2030-06" };
const meta = { ip: "192.0.2.10", userAgent: "Example/1.0" };

const helpdeskTicket: helpdesk.NewTicket = {
  district_id: D,
  school_id: "school-1",
  queue_id: "queue-1",
  category_id: "category-1",
  priority: "normal",
  status: "new",
  title: "Won't charge: laptop",
  description: "My laptop will not charge",
  location: "Room 114",
  requester_id: "student-1",
  created_by: "student-1",
  via: "web",
  assignee_id: null,
  asset_id: "asset-1",
  department_id: null,
  escalation_due_on: null,
  escalated_at: null,
  response_due_at: "2030-01-01T08:00:00.000Z",
  resolution_due_at: "2030-01-03T00:00:00.000Z",
  first_response_at: null,
  resolved_by: null,
  resolved_by_student: null,
  resolved_at: null,
  closed_at: null,
  rating: null,
  rating_comment: null,
  rated_at: null,
  client_ref: "client-ref-1",
};

const entry: coaching.EntryWrite = {
  districtId: D,
  coachId: "coach-1",
  schoolId: "school-1",
  categoryId: "category-1",
  date: "2029-10-01",
  week: "2029-W40",
  month: "2029-10",
  term: "2029-fall",
  minutes: 45,
  notes: "Co-planned a unit",
  cycleId: "cycle-1",
  linkType: null,
  linkId: null,
  clientRef: "client-ref-1",
  teacherIds: ["teacher-1", "teacher-2"],
  kind: "coaching",
};
const entryBefore: coaching.EntryWrite = { ...entry, categoryId: "category-2", minutes: 30, teacherIds: ["teacher-1"], kind: "support" };

const observation: observations.ObservationWrite = {
  districtId: D,
  schoolId: "school-1",
  observerId: "coach-1",
  teacherId: "teacher-1",
  classId: null,
  subject: "Science",
  grade: "07",
  gradeBand: "6-8",
  rubricId: "rubric-1",
  rubricVersionId: "version-1",
  observedOn: "2029-10-01",
  month: "2029-10",
  term: "2029-30 Fall",
  schoolYear: "2029-30",
  startTime: "09:10",
  durationMinutes: 20,
  evidence: "Groups logged readings in a shared sheet",
  feedback: "Strong group roles",
  nextStep: "Let groups pick their own tool",
  status: "submitted",
  cycleId: null,
  coachingEntryId: null,
  submittedAt: "2029-10-01T09:30:00.000Z",
  sharedAt: null,
  levels: [
    { dimensionKey: "active", level: 3 },
    { dimensionKey: "collaborative", level: null },
  ],
  technology: [
    { appId: "app-1", name: "OneNote" },
    { appId: null, name: "Probeware" },
  ],
};
const observationFilter: observations.ObservationFilter = {
  districtId: D,
  scope: { personId: "coach-1", schools: ["school-1", "school-2"] },
  schoolId: "school-1",
  teacherId: "teacher-1",
  status: "shared",
  from: "2029-09-01",
  to: "2029-10-31",
};

const peopleFilter: people.PeopleFilter = {
  districtId: D,
  scope: { kind: "schools", fullSchoolIds: ["school-1"], staffSchoolIds: ["school-2"] },
  status: "active",
  words: ["mar"],
  role: "teacher",
  schoolId: "school-1",
};
const adminPeopleFilter: people.PeopleFilter = { districtId: D, scope: { kind: "district" }, status: "all", words: [] };

const classFilter: classes.ClassFilter = {
  districtId: D,
  schoolIds: ["school-1"],
  taughtBy: "teacher-1",
  schoolId: "school-1",
  memberId: "student-1",
  q: "algebra",
  status: "active",
};

const auditFilter: audit.AuditFilter = {
  districtId: D,
  actorId: "person-1",
  subjectId: "person-2",
  action: "person.read",
  fromIso: "2029-09-01T00:00:00.000Z",
  toIsoExclusive: "2029-10-01T00:00:00.000Z",
  beforeSeq: 1000,
};

const rosterImport = {
  id: "import-1",
  district_id: D,
  actor_id: "person-1",
  origin: "web",
  kind: "oneroster",
  file_name: "oneroster.zip",
  status: "running",
  is_dry_run: 0,
  apply_valid: 1,
  created: 0,
  updated: 0,
  deactivated: 0,
  unchanged: 0,
  skipped: 0,
  rejected: 0,
  error_count: 0,
  warning_count: 0,
  report: null,
  started_at: "2029-10-01T08:00:00.000Z",
  finished_at: null,
  heartbeat_at: "2029-10-01T08:00:00.000Z",
  owner: '{"host":"app-1","pid":4242,"instance":"0b7c…"}',
} as const;

const provider: sso.ProviderColumns = {
  kind: "google",
  displayName: "Google Workspace",
  issuer: "https://accounts.google.com",
  clientId: "client-id-1",
  clientSecretEnc: "sealed-secret",
  allowedDomains: ["district.example.org"],
  allowSelfProvisioning: true,
  defaultRole: "teacher",
  isEnabled: true,
};

const rollupRange = {
  districtId: D,
  schoolId: "school-1",
  weekFrom: "2029-W36",
  weekTo: "2029-W44",
  exclude: [{ week: "2029-W36", month: "2029-08" }],
};

const deviceFilter: devices.AssetFilter = { districtId: D, schools: "all" };
const deviceAsset = {
  id: "asset-1",
  district_id: D,
  tag: "LT-0001",
  serial: "SN0001",
  model_id: "model-1",
  status: "in_stock",
  is_loaner: 0,
  school_id: "school-1",
  room: "",
  purchase_date: "2029-07-01",
  warranty_end: null,
  funding_source: "Title I",
  notes: "",
  condition: null,
  created_at: "2030-01-01T00:00:00.000Z",
  updated_at: "2030-01-01T00:00:00.000Z",
};
const deviceEventRow = { id: "event-1", district_id: D, asset_id: "asset-1", person_id: null, kind: "imported", details: "{}", actor_id: "it-1", at: "2030-01-01T00:00:00.000Z" };

export const registry: SqlRegistry = {
  examples: [
    // ---- accounts
    example(accounts.findDistrict)(({ db }) => [db, D]),
    example(accounts.anyDistrict)(({ db }) => [db]),
    example(accounts.insertDistrict)(({ db }) => [db, { name: "Example Unified", timezone: "America/Chicago" }]),
    example(accounts.updateDistrictRow)(({ db }) => [db, D, { name: "Example Unified School District", timezone: "America/Denver" }]),
    example(accounts.getSetting)(({ db }) => [db, "setup.done"]),
    example(accounts.insertSettingIfAbsent)(({ db }) => [db, "setup.done", "1"]),
    example(accounts.deleteSetting)(({ db }) => [db, "setup.done"]),
    example(accounts.setPasswordHash)(({ db }) => [db, "person-1", "$argon2id$example"]),
    example(accounts.insertPasswordReset)(({ db }) => [db, { personId: "person-1", tokenHash: "reset-hash", expiresAt: "2030-01-01T01:00:00.000Z" }]),
    example(accounts.findPasswordReset)(({ db }) => [db, "reset-hash"]),
    example(accounts.markPasswordResetUsed)(({ db }) => [db, "reset-1"]),
    example(accounts.listApiTokens)(({ db }) => [db, "person-1"]),
    example(accounts.insertApiToken)(({ db }) => [
      db,
      { personId: "person-1", name: "sync script", prefix: "cwk_abcd", tokenHash: "token-hash", expiresAt: "2030-06-01T00:00:00.000Z", scope: "read" },
    ]),
    example(accounts.revokeApiToken)(({ db }) => [db, "person-1", "token-1"]),

    // ---- audit
    example(audit.insertAudit)(({ db }) => [
      db,
      {
        districtId: D,
        actorId: "person-1",
        action: "person.read",
        subjectType: "person",
        subjectId: "person-2",
        ip: meta.ip,
        userAgent: meta.userAgent,
        details: { fields: ["email"] },
      },
    ]),
    example(audit.listAudit)(({ db }) => [db, auditFilter, 51]),
    example(audit.countAudit)(({ db }) => [db, auditFilter]),

    // ---- classes
    example(classes.listClasses)(({ db }) => [db, classFilter, { title: "Algebra I", id: "class-1" }, 51], "a teacher's own and school classes, searched"),
    example(classes.listClasses)(({ db }) => [db, { districtId: D, schoolIds: "all", taughtBy: null, status: "all" }, null, 51], "district-wide"),
    example(classes.countClasses)(({ db }) => [db, classFilter]),
    example(classes.findClass)(({ db }) => [db, D, "class-1"]),
    example(classes.termsOf)(({ db }) => [db, ["class-1", "class-2"]]),
    example(classes.enrollmentsOf)(({ db }) => [db, ["class-1", "class-2"], ["teacher", "student"]]),
    example(classes.activeClassCount)(({ db }) => [db, "school-1"]),
    example(classes.activeSessionsOfTypes)(({ db }) => [db, D, ["term", "semester"]]),

    // ---- observations
    example(observations.listRubrics)(({ db }) => [db, D]),
    example(observations.findRubric)(({ db }) => [db, D, "rubric-1"]),
    example(observations.findDefaultRubric)(({ db }) => [db, D]),
    example(observations.hasRubric)(({ db }) => [db, D, "tim"]),
    example(observations.findVersion)(({ db }) => [db, D, "version-1"]),
    example(observations.insertRubric)(
      ({ db }) => [db, { districtId: D, key: "tim", name: "Technology Integration Matrix", description: "", isDefault: true, definition: "{}", createdBy: null }, { ifAbsent: true }],
      "seeding the default: a racing seed wins, nothing more is written",
    ),
    example(observations.rubricKeys)(({ db }) => [db, D]),
    example(observations.updateRubricRow)(({ db }) => [db, "rubric-1", { name: "Triple E", current_version_id: "version-2" }]),
    example(observations.setDefaultRubric)(({ db }) => [db, D, "rubric-1"]),
    example(observations.rewriteUnusedVersion)(({ db }) => [db, "version-1", "{}"]),
    example(observations.insertVersion)(({ db }) => [db, { rubricId: "rubric-1", districtId: D, definition: "{}", createdBy: "admin-1" }]),
    example(observations.freezeVersion)(({ db }) => [db, "version-1"]),
    example(observations.listApps)(({ db }) => [db, D]),
    example(observations.insertApps)(({ db }) => [db, D, ["OneNote", "Sway"], 10]),
    example(observations.appsByIds)(({ db }) => [db, D, ["app-1", "app-2"]]),
    example(observations.maxAppSortOrder)(({ db }) => [db, D]),
    example(observations.findObservation)(({ db }) => [db, D, "observation-1"]),
    example(observations.findByClientRef)(({ db }) => [db, "coach-1", "client-ref-1"]),
    example(observations.insertObservation)(({ db }) => [db, observation, "client-ref-1"]),
    example(observations.updateObservationRow)(({ db }) => [db, "observation-1", observation]),
    example(observations.softDeleteObservation)(({ db }) => [db, "observation-1", "coach-1"]),
    example(observations.setAcknowledged)(({ db }) => [db, "observation-1"]),
    example(observations.insertComment)(({ db }) => [db, { observationId: "observation-1", authorId: "teacher-1", body: "Thanks" }]),
    example(observations.levelsOf)(({ db }) => [db, ["observation-1", "observation-2"]]),
    example(observations.technologiesOf)(({ db }) => [db, ["observation-1", "observation-2"]]),
    example(observations.commentsOf)(({ db }) => [db, ["observation-1", "observation-2"]]),
    example(observations.listObservations)(({ db }) => [db, observationFilter, { date: "2029-10-01", id: "observation-9" }, 51], "a coach's schools, filtered, next page"),
    example(observations.listObservations)(({ db }) => [db, { districtId: D, scope: { personId: "teacher-1", schools: [] } }, null, 51], "a teacher: own and shared with them"),
    example(observations.countObservations)(({ db }) => [db, { districtId: D, scope: { personId: "admin-1", schools: "all" } }]),

    // ---- observation roll-ups and composites
    example(observationReports.cellCounts)(({ db }) => [db, reportFilter], "the district, from the rows (part months)"),
    example(observationReports.cellCounts)(({ db }) => [db, schoolTeacherFilter], "a teacher's own, shared, at one school, one subject and grade band"),
    example(observationReports.profileCounts)(({ db }) => [db, reportFilter]),
    example(observationReports.teacherCounts)(({ db }) => [db, reportFilter]),
    example(observationReports.teacherDimensionCounts)(({ db }) => [db, reportFilter]),
    example(observationReports.cellCountsByPeriod)(({ db }) => [db, reportFilter, "term"]),
    example(observationReports.profileCountsByPeriod)(({ db }) => [db, reportFilter, "year"]),
    example(observationReports.rollupCellCounts)(({ db }) => [db, observationMonths], "the district over whole months"),
    example(observationReports.rollupCellCounts)(({ db }) => [db, { ...observationMonths, schoolIds: ["school-1", "school-2"] }], "a coach's schools"),
    example(observationReports.rollupProfileCounts)(({ db }) => [db, observationMonths]),
    example(observationReports.rollupCellCountsByPeriod)(({ db }) => [db, observationMonths, "term"]),
    example(observationReports.rollupProfileCountsByPeriod)(({ db }) => [db, observationMonths, "year"]),
    example(observationReports.partitionOf)(({ db }) => [db, "observation-1"]),
    example(observationReports.refreshMonthlyRollups)(({ db }) => [db, [{ districtId: D, schoolId: "school-1", month: "2029-10" }]]),
    example(observationReports.rebuildMonthlyRollups)(({ db }) => [db, D]),
    example(observationReports.findReportRubric)(({ db }) => [db, D, "rubric-1"]),
    example(observationReports.listComposites)(({ db }) => [db, D]),
    example(observationReports.findComposite)(({ db }) => [db, D, "composite-1"]),
    example(observationReports.findCompositeByName)(({ db }) => [db, D, "Pilot score"]),
    example(observationReports.insertComposite)(({ db }) => [db, D, "admin-1", { name: "Pilot score", description: "", terms: [{ metric: "observations.extensity", weight: 1 }] }]),
    example(observationReports.updateComposite)(({ db }) => [db, "composite-1", { name: "Pilot score", description: "TIM third", terms: [{ metric: "observations.extensity", weight: 2 }] }]),
    example(observationReports.deleteComposite)(({ db }) => [db, "composite-1"]),

    // ---- coaching
    example(coaching.listCategories)(({ db }) => [db, D]),
    example(coaching.ensureDefaultCategories)(({ db }) => [db, D]),
    example(coaching.listCategoryAliases)(({ db }) => [db, D]),
    example(coaching.upsertCategoryAliases)(({ db }) => [db, D, "coach-1", [{ valueKey: "tech support", value: "Tech support", categoryId: "category-1" }]]),
    example(coaching.insertCategory)(({ db }) => [db, { districtId: D, key: "mentoring", name: "Mentoring", kind: "coaching", sortOrder: 110 }]),
    example(coaching.updateCategoryRow)(({ db }) => [db, "category-1", { name: "Co-planning", kind: "support" }]),
    example(coaching.listEntries)(({ db }) => [
      db,
      { districtId: D, coachId: "coach-1", schoolId: "school-1", categoryId: "category-1", cycleId: "cycle-1", from: "2029-09-01", to: "2029-10-31" },
      { date: "2029-10-01", id: "entry-9" },
      51,
    ]),
    example(coaching.countEntries)(({ db }) => [db, { districtId: D, coachId: "coach-1", from: "2029-09-01", to: "2029-10-31" }]),
    example(coaching.findEntry)(({ db }) => [db, D, "entry-1"]),
    example(coaching.findEntryByClientRef)(({ db }) => [db, "coach-1", "client-ref-1"]),
    example(coaching.teachersOfEntries)(({ db }) => [db, ["entry-1", "entry-2"]]),
    example(coaching.minutesOnDay)(({ db }) => [db, "coach-1", "2029-10-01", "entry-1"]),
    example(coaching.rebuildRollups)(({ db }) => [db, D]),
    example(coaching.rebuildTeacherRollup)(({ db }) => [db, D]),
    example(coaching.findTermState)(({ db }) => [db, D]),
    example(coaching.saveTermState)(({ db }) => [db, D, "fixed"]),
    example(coaching.entryDayTerms)(({ db }) => [db, D]),
    example(coaching.activeCycleActivity)(({ db }) => [db, D]),
    example(coaching.coachTotals)(({ db }) => [db, { districtId: D, schoolId: "school-1", from: "2029-08-19", to: "2029-12-18" }]),
    example(coaching.entriesNamingPerson)(({ db }) => [db, { districtId: D, personId: "person-1", coachId: "coach-1", limit: 10 }]),
    example(coaching.totalsNamingPerson)(({ db }) => [db, { districtId: D, personId: "person-1" }]),
    example(coaching.coachingReach)(({ db }) => [db, { districtId: D, from: "2029-08-19", to: "2029-12-18" }]),
    example(coaching.setEntryTerm)(({ db }) => [db, D, "2026-08-19", ["2026-08-19", "2026-08-20"]]),
    example(coaching.insertEntry)(({ db }) => [db, entry]),
    example(coaching.updateEntryRow)(({ db }) => [db, "entry-1", entryBefore, entry]),
    example(coaching.deleteEntryRow)(({ db }) => [db, "entry-1", entry]),
    example(coaching.recentEntries)(({ db }) => [db, "coach-1", 20]),
    example(coaching.setEntryLink)(({ db }) => [db, "entry-1", { type: "observation", id: "observation-1" }]),
    example(coaching.rollupSeries)(({ db }) => [db, rollupRange]),
    example(coaching.rollupSchools)(({ db }) => [db, rollupRange]),
    example(coaching.entriesByDay)(({ db }) => [db, { districtId: D, schoolId: "school-1", coachId: "coach-1", from: "2029-09-01", to: "2029-09-03" }]),
    example(coaching.rollupTeachers)(({ db }) => [db, { districtId: D, schoolId: "school-1", terms: ["2029-fall"] }]),
    example(coaching.teachersOfCoach)(({ db }) => [db, { districtId: D, coachId: "coach-1", schoolId: "school-1", from: "2029-09-01", to: "2029-10-31" }]),
    example(coaching.findCycle)(({ db }) => [db, D, "cycle-1"]),
    example(coaching.listCycles)(({ db }) => [
      db,
      { districtId: D, status: "active", coachId: "coach-1", teacherId: "teacher-1" },
      { updatedAt: "2029-10-01T08:00:00.000Z", id: "cycle-9" },
      51,
    ]),
    example(coaching.cycleTeachers)(({ db }) => [db, ["cycle-1", "cycle-2"]]),
    example(coaching.cycleSteps)(({ db }) => [db, ["cycle-1", "cycle-2"]]),
    example(coaching.cycleMinutes)(({ db }) => [db, ["cycle-1", "cycle-2"]]),
    example(coaching.insertCycle)(({ db }) => [
      db,
      {
        districtId: D,
        coachId: "coach-1",
        schoolId: "school-1",
        title: "Station rotation",
        startingPoint: "outcome",
        startingText: "Students work in stations",
        teacherIds: ["teacher-1", "teacher-2"],
      },
    ]),
    example(coaching.updateCycleRow)(({ db }) => [db, "cycle-1", { status: "complete", completed_at: "2029-12-01T00:00:00.000Z" }]),
    example(coaching.insertCycleStep)(({ db }) => [db, { cycleId: "cycle-1", stage: "co_plan", date: "2029-10-01", notes: "Planned stations", authorId: "coach-1" }]),

    // ---- people
    example(people.listPeople)(({ db }) => [db, peopleFilter, { sortName: "lee ann", id: "person-9" }, 51], "a coach's scope, searched and filtered"),
    example(people.listPeople)(({ db }) => [db, adminPeopleFilter, null, 51], "a district admin's first page"),
    example(people.countPeople)(({ db }) => [db, peopleFilter, 1001], "the directory's count, stopped at the cap: 1,000+"),
    example(people.countPeople)(({ db }) => [db, adminPeopleFilter], "every match, no cap"),
    example(people.grantsOf)(({ db }) => [db, ["person-1", "person-2"]]),
    example(people.findPerson)(({ db }) => [db, D, "person-1"]),
    example(people.findPersonByEmail)(({ db }) => [db, "ada@district.example.org"]),
    example(people.findPersonInDistrictByEmail)(({ db }) => [db, D, "ada@district.example.org"]),
    example(people.emailTaken)(({ db }) => [db, D, "ada@district.example.org", "person-1"]),
    example(people.insertPerson)(({ db }) => [
      db,
      {
        districtId: D,
        givenName: "Ada",
        familyName: "Lovelace",
        email: "ada@district.example.org",
        passwordHash: null,
        gradeLevel: null,
        studentNumber: null,
        sourceId: "sis-1",
      },
    ]),
    example(people.updatePersonRow)(({ db }) => [db, "person-1", { status: "inactive", deactivated_at: "2029-10-01T00:00:00.000Z" }]),
    example(people.replaceRoles)(({ db }) => [
      db,
      D,
      "person-1",
      [
        { role: "coach", schoolId: "school-1" },
        { role: "teacher", schoolId: null },
      ],
    ]),
    example(people.grantRole)(({ db }) => [db, { districtId: D, personId: "person-1", role: "teacher", schoolId: "school-1" }]),
    example(people.countActiveAdmins)(({ db }) => [db, D]),

    // ---- rostering: the loads the planner diffs against (rostering.loads.ts), the bulk apply's
    // page cache (rostering.apply.ts), and the import records (rostering.repository.ts)
    example(rosteringLoads.loadSchools)(({ db }) => [db, D]),
    example(rosteringLoads.loadRosterOrgs)(({ db }) => [db, D]),
    example(rosteringLoads.loadSessions)(({ db }) => [db, D]),
    example(rosteringLoads.loadCourses)(({ db }) => [db, D]),
    example(rosteringLoads.loadClasses)(({ db }) => [db, D]),
    example(rosteringLoads.loadClassTerms)(({ db }) => [db, D]),
    example(rosteringLoads.loadPeople)(({ db }) => [db, D]),
    example(rosteringLoads.loadGrants)(({ db }) => [db, D]),
    example(rosteringLoads.iterateEnrollments)(({ db }) => [db, D, 1000]),
    example(rosteringApply.withLargePageCache)(({ db, dialect }) => [db, dialect === "sqlite", () => Promise.resolve()]),
    example(rosteringApply.tablesToIndexAfter)(({ db }) => [db, new Map([["enrollment", 1_000_000]])], "a first import of a million enrolments"),
    example(rosteringApply.withIndexesBuiltAfter)(({ db }) => [db, ["enrollments"], () => Promise.resolve()], "SQLite, from the command line (the dummy database lists no index to drop)"),
    // The bulk apply: one batch per kind of spool op (a batch is up to 2,000 of them; two show the shape).
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          { op: "org", id: "org-1", sourceId: "sis-district", type: "district", name: "Springfield", parentSourceId: null },
          { op: "org", id: "org-2", sourceId: "sis-dept-math", type: "department", name: "Math", parentSourceId: "sis-district" },
        ],
      ],
      "org",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [db, D, [{ op: "school", id: "school-1", name: "Lincoln Elementary", level: "elementary", code: "LIN", sourceId: "sis-lincoln" }]],
      "school",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          {
            op: "session",
            id: "session-1",
            sourceId: "sis-fall",
            title: "Fall 2029",
            type: "term",
            startDate: "2029-08-20",
            endDate: "2029-12-20",
            schoolYear: "2030",
            parentId: null,
          },
        ],
      ],
      "session",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          {
            op: "course",
            id: "course-1",
            sourceId: "sis-alg1",
            title: "Algebra I",
            courseCode: "ALG1",
            grades: "09",
            subjects: "Math",
            schoolYearId: "session-1",
            schoolId: "school-1",
          },
        ],
      ],
      "course",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          {
            op: "class",
            id: "class-1",
            sourceId: "sis-alg1-p1",
            schoolId: "school-1",
            courseId: "course-1",
            title: "Algebra I, period 1",
            classCode: "ALG1-1",
            classType: "scheduled",
            location: "Room 12",
            grades: "09",
            subjects: "Math",
            periods: "1",
          },
        ],
      ],
      "class",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          { op: "classTerms", classId: "class-1", sessionIds: ["session-1", "session-2"] },
          { op: "classTerms", classId: "class-2", sessionIds: [] },
        ],
      ],
      "classTerms",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          {
            op: "person",
            id: "person-1",
            sourceId: "sis-u1",
            givenName: "Ana",
            familyName: "Ortiz",
            email: "ana.ortiz@example.org",
            gradeLevel: null,
            studentNumber: null,
            status: "active",
            deactivatedAt: null,
          },
          {
            op: "person",
            id: "person-2",
            sourceId: "sis-u2",
            givenName: "Ben",
            familyName: "Lee",
            email: null,
            gradeLevel: "09",
            studentNumber: "S-1002",
            status: "inactive",
            deactivatedAt: "2029-10-01T08:00:00.000Z",
          },
        ],
      ],
      "person: upserts, then signs out the ones made inactive",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [db, D, [{ op: "grant", id: "grant-1", personId: "person-1", role: "teacher", schoolId: "school-1", source: "roster" }]],
      "grant",
    ),
    example(rosteringApply.applyBatch)(({ db }) => [db, D, [{ op: "revokeGrant", id: "grant-9" }]], "revokeGrant"),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          {
            op: "enrollment",
            id: "enrollment-1",
            sourceId: "sis-e1",
            classId: "class-1",
            personId: "person-2",
            schoolId: "school-1",
            role: "student",
            isPrimary: 0,
            beginDate: null,
            endDate: null,
          },
        ],
      ],
      "enrollment",
    ),
    example(rosteringApply.applyBatch)(
      ({ db }) => [
        db,
        D,
        [
          { op: "deactivate", table: "courses", id: "course-8" },
          { op: "deactivate", table: "courses", id: "course-9" },
        ],
      ],
      "deactivate (courses; roster_orgs, academic_sessions and classes alike)",
    ),
    example(rosteringApply.applyBatch)(({ db }) => [db, D, [{ op: "deactivate", table: "schools", id: "school-9" }]], "deactivate schools"),
    example(rosteringApply.applyBatch)(({ db }) => [db, D, [{ op: "deactivate", table: "people", id: "person-9" }]], "deactivate people: also signs them out"),
    example(rosteringApply.applyBatch)(({ db }) => [db, D, [{ op: "deactivateEnrollment", sourceId: "sis-e9" }]], "deactivateEnrollment"),
    example(rosteringApply.liftStatementTimeout)(({ db }) => [db], "PostgreSQL: the import's transaction"),
    example(rosteringApply.copyRun)(
      ({ db }) => [
        db,
        D,
        "person",
        (async function* () {
          yield { op: "person", id: "person-1", sourceId: "sis-u1", givenName: "José", familyName: "Álvarez", email: "jalvarez@district.example.org", gradeLevel: null, studentNumber: null, status: "active", deactivatedAt: null } as const;
          yield { op: "person", id: "person-2", sourceId: "sis-u2", givenName: "Ana", familyName: "Bell", email: null, gradeLevel: "05", studentNumber: "1002", status: "inactive", deactivatedAt: "2029-10-01T08:00:00.000Z" } as const;
        })(),
      ],
      "PostgreSQL: people by COPY into staging, then one upsert",
    ),
    example(rosteringApply.copyRun)(
      ({ db }) => [
        db,
        D,
        "grant",
        (async function* () {
          yield { op: "grant", id: "grant-1", personId: "person-1", role: "teacher", schoolId: "school-1", source: "roster" } as const;
        })(),
      ],
      "PostgreSQL: role grants by COPY straight into the table",
    ),
    example(rostering.insertImport)(({ db }) => [db, rosterImport]),
    example(rostering.updateImport)(({ db }) => [db, "import-1", { status: "applied", created: 12, updated: 3, finished_at: "2029-10-01T08:05:00.000Z" }]),
    example(rostering.findImport)(({ db }) => [db, D, "import-1"]),
    example(rostering.listImports)(({ db }) => [db, D, { startedAt: "2029-10-01T08:00:00.000Z", id: "import-9" }, 21]),
    example(rostering.countImports)(({ db }) => [db, D]),
    example(rostering.findRunningImport)(({ db }) => [db, D]),
    example(rostering.listRunningImports)(({ db }) => [db, D]),
    example(rostering.touchImport)(({ db }) => [db, "import-1", "2029-10-01T08:00:10.000Z"]),
    example(rostering.markImportInterrupted)(({ db }) => [db, "import-1", "2029-10-01T08:00:10.000Z", '{"failure":"…"}']),

    // ---- schools
    example(schools.listSchools)(({ db }) => [db, { districtId: D, words: ["lincoln"], level: "elementary", status: "active" }, { name: "Lincoln", id: "school-9" }, 51]),
    example(schools.countSchools)(({ db }) => [db, { districtId: D, words: ["lincoln"], level: "elementary", status: "active" }]),
    example(schools.findSchool)(({ db }) => [db, D, "school-1"]),
    example(schools.schoolNameTaken)(({ db }) => [db, D, "Lincoln Elementary", "school-1"]),
    example(schools.insertSchool)(({ db }) => [db, { districtId: D, name: "Lincoln Elementary", level: "elementary", code: "LIN" }]),
    example(schools.updateSchoolRow)(({ db }) => [db, "school-1", { name: "Lincoln Elementary", status: "inactive" }]),
    example(schools.allSchoolIds)(({ db }) => [db, D]),
    example(schools.schoolCodeTaken)(({ db }) => [db, D, "LIN", "school-1"]),

    // ---- settings
    example(settings.findSettings)(({ db }) => [db, D]),
    example(settings.upsertSettings)(({ db }) => [db, D, { public_url: "https://coachwork.example.org", token_max_days: 90 }]),
    example(settings.insertPublicUrlIfAbsent)(({ db }) => [db, D, "https://coachwork.example.org"]),
    example(settings.districtsWithPublicUrl)(({ db }) => [db, [D, "district-2"]]),
    example(settings.listTerms)(({ db }) => [db, D]),
    example(settings.replaceTerms)(({ db }) => [db, D, [{ name: "Semester 1", schoolYear: "2026-27", startDate: "2026-08-19", endDate: "2026-12-18" }]]),

    // ---- sso
    example(sso.listProviders)(({ db }) => [db, D]),
    example(sso.listEnabledProviders)(({ db }) => [db]),
    example(sso.findProvider)(({ db }) => [db, "provider-1", D]),
    example(sso.insertProvider)(({ db }) => [db, "provider-1", D, provider]),
    example(sso.updateProvider)(({ db }) => [db, "provider-1", { displayName: "Google", isEnabled: false, allowedDomains: ["district.example.org"] }]),
    example(sso.deleteProvider)(({ db }) => [db, "provider-1"]),
    example(sso.insertLoginState)(({ db }) => [
      db,
      {
        state_hash: "state-hash",
        provider_id: "provider-1",
        nonce: "nonce-1",
        code_verifier: "verifier-1",
        browser_hash: "browser-hash",
        redirect_uri: "https://coachwork.example.org/api/v1/sso/callback",
        return_to: "/people",
        created_at: "2030-01-01T00:00:00.000Z",
        expires_at: "2030-01-01T00:10:00.000Z",
      },
    ]),
    example(sso.takeLoginState)(({ db }) => [db, "state-hash"]),
    example(sso.purgeExpiredLoginStates)(({ db }) => [db]),
    example(sso.findIdentity)(({ db }) => [db, "provider-1", "subject-1"]),
    example(sso.linkIdentity)(({ db }) => [db, { providerId: "provider-1", subject: "subject-1", personId: "person-1", email: "ada@district.example.org" }]),
    example(sso.touchIdentity)(({ db }) => [db, "identity-1", "ada@district.example.org"]),


    // ---- help desk
    example(helpdesk.categoriesOf)(({ db }) => [db, D]),
    example(helpdesk.insertCategories)(({ db }) => [db, D, [{ key: "wont_charge", name: "Won't charge", sortOrder: 0 }]], "seeding: a racing seed wins, nothing more is written"),
    example(helpdesk.queuesOf)(({ db }) => [db, D]),
    example(helpdesk.insertQueues)(({ db }) => [db, D, [{ key: "student_desk", name: "Student help desk", audience: "student", sortOrder: 0 }]]),
    example(helpdesk.slaTargetsOf)(({ db }) => [db, D]),
    example(helpdesk.insertSlaTargets)(({ db }) => [db, [{ districtId: D, categoryId: "category-1", priority: "normal", responseMinutes: 480, resolutionMinutes: 4320 }]]),
    example(helpdesk.membersOf)(({ db }) => [db, ["queue-1", "queue-2"]]),
    example(helpdesk.replaceMembers)(({ db }) => [db, "queue-1", ["person-1", "person-2"]]),
    example(helpdesk.openCountsByQueue)(({ db }) => [db, ["queue-1", "queue-2"]]),
    example(helpdesk.insertTicket)(({ db }) => [db, helpdeskTicket]),
    example(helpdesk.findTicket)(({ db }) => [db, D, "ticket-1"]),
    example(helpdesk.findTicketByClientRef)(({ db }) => [db, "student-1", "client-ref-1"]),
    example(helpdesk.ticketsByIds)(({ db }) => [db, ["ticket-1", "ticket-2"]]),
    example(helpdesk.openTicketsOfAsset)(({ db }) => [db, D, "asset-1"]),
    example(helpdesk.listTickets)(({ db }) => [db, { districtId: D, queueIds: ["queue-1"], statuses: ["new", "triaged"], schoolIds: ["school-1"] }, { createdAt: "2029-10-01T08:00:00.000Z", id: "ticket-9" }, 51], "a queue's open tickets at a school, next page"),
    example(helpdesk.listTickets)(({ db }) => [db, { districtId: D, requesterId: "student-1", schoolIds: "all" }, null, 51], "a requester's own"),
    example(helpdesk.countTickets)(({ db }) => [db, { districtId: D, queueIds: ["queue-1"], statuses: ["new"], schoolIds: "all" }, 10001]),
    example(helpdesk.updateTicketIf)(({ db }) => [db, "ticket-1", { status: "new", unassigned: true }, { assignee_id: "student-tech-1", status: "in_progress" }], "take: only while nobody holds it"),
    example(helpdesk.updateTicketIf)(({ db }) => [db, "ticket-1", { status: "in_progress", assigneeId: "student-tech-1" }, { status: "resolved" }], "a workflow step, compare-and-set"),
    example(helpdesk.setRating)(({ db }) => [db, "ticket-1", 5, "Thanks"]),
    example(helpdesk.markFirstResponse)(({ db }) => [db, "ticket-1", "2029-10-01T08:05:00.000Z"]),
    example(helpdesk.insertMessage)(({ db }) => [db, { ticketId: "ticket-1", authorId: "tech-1", visibility: "staff_note", body: "Checked" }]),
    example(helpdesk.messagesOf)(({ db }) => [db, "ticket-1", ["reply", "note"]]),
    example(helpdesk.insertHistory)(({ db }) => [db, "ticket-1", { id: "tech-1" }, [{ field: "status", from: "new", to: "triaged" }]]),
    example(helpdesk.historyOf)(({ db }) => [db, "ticket-1"]),
    example(helpdesk.insertAttachment)(({ db }) => [db, { ticketId: "ticket-1", uploadedBy: "student-1", contentType: "image/jpeg", width: 640, height: 480, data: Buffer.from("jpeg") }]),
    example(helpdesk.attachmentsOf)(({ db }) => [db, "ticket-1"]),
    example(helpdesk.findAttachment)(({ db }) => [db, "attachment-1"]),
    example(helpdesk.cannedRepliesOf)(({ db }) => [db, D]),
    example(helpdesk.insertCannedReply)(({ db }) => [db, D, { title: "Restart", body: "Please restart", createdBy: "admin-1" }]),
    example(helpdesk.deleteCannedReply)(({ db }) => [db, D, "canned-1"]),
    example(helpdesk.departmentsOf)(({ db }) => [db, D]),
    example(helpdesk.findDepartment)(({ db }) => [db, D, "department-1"]),
    example(helpdesk.insertDepartment)(({ db }) => [db, D, { name: "Facilities", kind: "department" }]),
    example(helpdesk.updateDepartmentRow)(({ db }) => [db, "department-1", { status: "archived" }]),
    example(helpdesk.contactsOf)(({ db }) => [db, ["department-1"]]),
    example(helpdesk.insertContact)(({ db }) => [db, { departmentId: "department-1", name: "Lead", email: "lead@example.org", phone: null, personId: null }]),
    example(helpdesk.setContactLink)(({ db }) => [db, "contact-1", "token-hash"]),
    example(helpdesk.contactByTokenHash)(({ db }) => [db, "token-hash"]),
    example(helpdesk.departmentIdsOfContact)(({ db }) => [db, "person-1"]),
    example(helpdesk.punchItems)(({ db }) => [db, { districtId: D, departmentIds: ["department-1"], schoolIds: "all" }, 5000]),
    example(helpdesk.volumeCells)(({ db }) => [db, { districtId: D, from: "2029-09-01", to: "2029-11-30", schoolIds: ["school-1"] }]),
    example(helpdesk.ticketFacts)(({ db }) => [db, { districtId: D, from: "2029-09-01", to: "2029-11-30", schoolIds: "all" }, { assigneeId: "student-tech-1" }]),
    example(helpdesk.recurringProblems)(({ db }) => [db, { districtId: D, from: "2029-09-01", to: "2029-11-30", schoolIds: "all" }, 10]),

    // ---- platform: jobs
    example(jobs.enqueueJob)(({ db }) => [db, { kind: "mail.send", payload: { mailId: "mail-1" }, runAt: "2030-01-01T00:05:00.000Z", dedupeKey: "mail:mail-1" }]),
    example(jobs.claimJobs)(({ db, dialect }) => [{ db, dialect }, { workerId: "worker-1", kinds: ["mail.send", "maintenance.hourly"], limit: 4, leaseMs: 60_000 }]),
    example(jobs.purgeFinishedJobs)(({ db }) => [db, 7]),

    // ---- auth: sessions and API tokens
    example(sessions.createSession)(({ db }) => [db, "person-1", meta]),
    example(sessions.deleteSession)(({ db }) => [db, "session-hash"]),
    example(sessions.deleteSessionsOf)(({ db }) => [db, "person-1", "session-hash"]),
    example(sessions.endSessionsOf)(({ db }) => [db, ["person-1", "person-2"]]),
    example(sessions.revokeApiTokensOf)(({ db }) => [db, ["person-1", "person-2"]]),
    example(sessions.endAccessOf)(({ db }) => [db, ["person-1", "person-2"]]),
    example(sessions.actorFromSession)(({ db }) => [db, "session-token"]),
    // ---- devices
    example(devices.listModels)(({ db }) => [db, D]),
    example(devices.insertModel)(({ db }) => [db, { districtId: D, name: "Chromebook 14", maker: "Acme", kind: "laptop" }]),
    example(devices.listAssets)(({ db }) => [db, deviceFilter, null, 51]),
    example(devices.listAssets)(({ db }) => [db, { ...deviceFilter, schools: ["school-1"], q: "lt-00", status: "in_stock", modelId: "model-1", schoolId: "school-1", isLoaner: false }, "LT-0001", 51], "an IT staff member's search at one school, after a cursor"),
    example(devices.countAssets)(({ db }) => [db, deviceFilter, 100_001]),
    example(devices.findAsset)(({ db }) => [db, D, "asset-1"]),
    example(devices.findAssetByTag)(({ db }) => [db, D, "LT-0001"]),
    example(devices.assetsByIds)(({ db }) => [db, D, ["asset-1", "asset-2"]]),
    example(devices.currentAssetsOf)(({ db }) => [db, ["person-1"]]),
    example(devices.inventoryKeys)(({ db }) => [db, D]),
    example(devices.insertAssets)(({ db }) => [db, [deviceAsset], [deviceEventRow]]),
    example(devices.updateAssets)(({ db }) => [db, D, ["asset-1", "asset-2"], { room: "Cart 3", funding_source: "Title I" }]),
    example(devices.insertEvents)(({ db }) => [db, [deviceEventRow]]),
    example(devices.eventsOf)(({ db }) => [db, { assetId: "asset-1" }]),
    example(devices.eventsOf)(({ db }) => [db, { personId: "person-1" }], "a person's devices over time"),
    example(devices.insertAssignment)(({ db }) => [db, { districtId: D, assetId: "asset-1", personId: "person-1", kind: "assigned", schoolId: "school-1", rolloutId: null, dueOn: null, by: "it-1", at: "2029-08-20T09:00:00.000Z" }]),
    example(devices.closeAssignment)(({ db }) => [db, "assignment-1", { by: "it-1", condition: "B", at: "2030-06-01T09:00:00.000Z" }]),
    example(devices.peopleWithDevice)(({ db }) => [db, ["person-1", "person-2"]]),
    example(devices.openAssignments)(({ db }) => [db, D, ["school-1"]]),
    example(devices.stockPool)(({ db }) => [db, D, "school-1", ["model-1"], 120]),
    example(devices.insertRepair)(({ db }) => [db, { districtId: D, assetId: "asset-1", vendor: "FixIt Co", costCents: 8900, ticketId: "ticket-1", note: "Cracked screen", openedOn: "2029-10-01", by: "it-1" }]),
    example(devices.repairsOf)(({ db }) => [db, "asset-1"]),
    example(devices.findRepair)(({ db }) => [db, D, "repair-1"]),
    example(devices.closeRepair)(({ db }) => [db, "repair-1", { closedOn: "2029-10-08", costCents: 9500 }]),
    example(devices.insertRollout)(({ db }) => [
      db,
      { districtId: D, name: "Fall pickup", schoolIds: ["school-1"], grades: ["09"], modelIds: ["model-1"], steps: [{ key: "account", label: "Account created" }], stations: ["Gym 1"], startsOn: "2029-08-01", endsOn: "2029-09-30", by: "it-1" },
    ]),
    example(devices.listRollouts)(({ db }) => [db, D]),
    example(devices.findRollout)(({ db }) => [db, D, "rollout-1"]),
    example(devices.insertPickup)(({ db }) => [db, { rolloutId: "rollout-1", personId: "person-1", assetId: "asset-1", schoolId: "school-1", grade: "09", station: "Gym 1", steps: ["account"], by: "tech-1", at: "2029-08-20T09:00:00.000Z" }]),
    example(devices.pickupsOf)(({ db }) => [db, "rollout-1"]),
    example(devices.pickupsOf)(({ db }) => [db, "rollout-1", ["person-1"]], "of some students (a station's lookup)"),
    example(devices.insertResource)(({ db }) => [db, { districtId: D, schoolId: "school-1", name: "Cart A", kind: "cart", feedToken: "feed-token" }]),
    example(devices.listResources)(({ db }) => [db, D, ["school-1"]]),
    example(devices.findResource)(({ db }) => [db, D, "resource-1"]),
    example(devices.bookingsBetween)(({ db }) => [db, "resource-1", "2029-12-07T00:00:00.000Z", "2029-12-14T00:00:00.000Z"]),
    example(devices.insertBooking)(({ db }) => [db, { resourceId: "resource-1", title: "Period 3", startsAt: "2029-12-07T09:00:00.000Z", endsAt: "2029-12-07T10:00:00.000Z", by: "teacher-1" }]),
    example(devices.findBooking)(({ db }) => [db, "booking-1"]),
    example(devices.deleteBooking)(({ db }) => [db, "booking-1"]),
    example(sessions.actorFromApiToken)(({ db }) => [db, "cwk_example-token"]),
    example(sessions.purgeExpired)(({ db }) => [db]),
  ],
  notSql: [
    notSql(rosteringApply.isCopied, "says which ops copyRun loads; no query"),
    notSql(people.nameColumns, "computes the folded name columns; no query"),
    notSql(rosteringLoads.enrollmentPrintText, "builds the enrolment fingerprint string the planner compares; no query"),
    notSql(rosteringApply.batchRows, "batch size arithmetic; no query"),
    notSql(rosteringApply.runBatch, "runs the statement its caller builds (applyBatch's bulk upserts)"),
    notSql(devices.allAssets, "pages through listAssets (above), 1,000 at a time"),
    notSql(jobs.mergeJobHandlers, "joins handler maps; no query"),
    notSql(jobs.nudgeJobWorkers, "wakes this process's workers; no query"),
    notSql(jobs.defaultBackoffMs, "retry delay arithmetic; no query"),
    notSql(jobs.startJobWorker, "the worker loop: its queries are claimJobs and enqueueJob (above) and two lease updates of its own"),
  ],
};
