// Example arguments for every exported repository function, from which `npm run sql` compiles the
// checked-in SQL in sql/. One `example(fn)(…)` per function (a second, labelled one where another
// branch of its SQL is worth reading); `notSql(fn, why)` for exports that run no SQL of their own.
// The arguments are typed by each function's parameters: a changed signature fails `npm run check`
// here, and a new exported function without an entry fails `npm run sql:check`. Use fixed, readable
// values (no newId(), no Date): the files must come out the same on every run.
import * as accounts from "../../server/modules/accounts/accounts.repository.js";
import * as chats from "../../server/modules/chats/chats.repository.js";
import * as audit from "../../server/modules/audit/audit.repository.js";
import * as classes from "../../server/modules/classes/classes.repository.js";
import * as coaching from "../../server/modules/coaching/coaching.repository.js";
import * as observations from "../../server/modules/observations/observations.repository.js";
import * as observationReports from "../../server/modules/observations/reports.repository.js";
import * as people from "../../server/modules/people/people.repository.js";
import * as rosteringApply from "../../server/modules/rostering/rostering.apply.js";
import * as rosteringLoads from "../../server/modules/rostering/rostering.loads.js";
import * as rostering from "../../server/modules/rostering/rostering.repository.js";
import * as schools from "../../server/modules/schools/schools.repository.js";
import * as settings from "../../server/modules/settings/settings.repository.js";
import * as sso from "../../server/modules/sso/sso.repository.js";
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

    // ---- chats
    example(chats.insertSeries)(({ db }) => [
      db,
      {
        id: "series-1", district_id: D, name: "Integration Innovation chat", hashtag: "#iiCHAT", description: "", audience: "public", audience_school_ids: "[]",
        rrule: "{}", time_zone: "America/New_York", duration_minutes: 30, welcome_text: "Welcome", guide_text: "", question_plan: "[]", reminder_email: 1,
        crosspost: "{}", webhooks: "[]", calendar_token: "cal-token", created_by: "person-1", archived_at: null, created_at: "2030-01-01T00:00:00.000Z", updated_at: "2030-01-01T00:00:00.000Z",
      },
    ]),
    example(chats.updateSeries)(({ db }) => [db, "series-1", { name: "Renamed", updated_at: "2030-01-01T00:00:00.000Z" }]),
    example(chats.findSeries)(({ db }) => [db, "series-1"]),
    example(chats.findSeriesByCalendarToken)(({ db }) => [db, "cal-token"]),
    example(chats.seriesOfDistrict)(({ db }) => [db, D]),
    example(chats.activeSeries)(({ db }) => [db]),
    example(chats.moderatorsOf)(({ db }) => [db, ["series-1"]]),
    example(chats.replaceModerators)(({ db }) => [db, "series-1", [{ personId: "person-1", role: "moderator" }, { personId: "person-2", role: "co_moderator" }], "2030-01-01T00:00:00.000Z"]),
    example(chats.startsOfSeries)(({ db }) => [db, "series-1"]),
    example(chats.insertEvent)(({ db }) => [
      db,
      { id: "event-1", series_id: "series-1", district_id: D, starts_at: "2030-01-03T02:00:00.000Z", ends_at: "2030-01-03T02:30:00.000Z", title: "#iiCHAT", status: "scheduled", last_seq: 0, welcome_post_id: null, created_at: "2030-01-01T00:00:00.000Z" },
    ]),
    example(chats.findEvent)(({ db }) => [db, "event-1"]),
    example(chats.eventsOfSeries)(({ db }) => [db, "series-1", { endsAfter: "2030-01-01T00:00:00.000Z", limit: 8 }]),
    example(chats.nextEvents)(({ db }) => [db, ["series-1", "series-2"], "2030-01-01T00:00:00.000Z"]),
    example(chats.takeSeq)(({ db }) => [db, "event-1"]),
    example(chats.claimWelcome)(({ db }) => [db, "event-1", "post-1"]),
    example(chats.questionsOf)(({ db }) => [db, ["event-1"]]),
    example(chats.findQuestion)(({ db }) => [db, "question-1"]),
    example(chats.insertQuestions)(({ db }) => [
      db,
      [{ id: "question-1", event_id: "event-1", number: 1, is_closing: 0, text: "Q1", offset_minutes: 5, post_at: "2030-01-03T02:05:00.000Z", post_id: null, posted_at: null, created_at: "2030-01-01T00:00:00.000Z", updated_at: "2030-01-01T00:00:00.000Z" }],
    ]),
    example(chats.updateQuestion)(({ db }) => [db, "question-1", { text: "Edited", updated_at: "2030-01-01T00:00:00.000Z" }]),
    example(chats.deleteQuestion)(({ db }) => [db, "question-1"]),
    example(chats.claimQuestion)(({ db }) => [db, "question-1", "post-1", "2030-01-01T00:00:00.000Z"]),
    example(chats.participantOfPerson)(({ db }) => [db, D, "person-1"]),
    example(chats.participantByTokenHash)(({ db }) => [db, "token-hash"]),
    example(chats.guestByEmail)(({ db }) => [db, "series-1", "pat@example.com"]),
    example(chats.insertParticipant)(({ db }) => [
      db,
      { id: "participant-1", district_id: D, person_id: null, series_id: "series-1", display_name: "Pat", email: "pat@example.com", token_hash: "token-hash", wants_reminders: 1, created_at: "2030-01-01T00:00:00.000Z" },
    ]),
    example(chats.updateParticipant)(({ db }) => [db, "participant-1", { token_hash: "new-hash" }]),
    example(chats.participantsByIds)(({ db }) => [db, ["participant-1"]]),
    example(chats.reminderRecipients)(({ db }) => [db, "series-1"]),
    example(chats.insertPost)(({ db }) => [
      db,
      { id: "post-1", event_id: "event-1", seq: 1, changed_seq: 1, kind: "answer", participant_id: "participant-1", question_id: "question-1", parent_id: null, body: "A1", status: "visible", like_count: 0, client_ref: null, created_at: "2030-01-01T00:00:00.000Z" },
    ]),
    example(chats.findPost)(({ db }) => [db, "post-1"]),
    example(chats.postByClientRef)(({ db }) => [db, "event-1", "participant-1", "client-ref"]),
    example(chats.postsChangedAfter)(({ db }) => [db, "event-1", 41, 5000]),
    example(chats.postsOfEvents)(({ db }) => [db, ["event-1"]]),
    example(chats.recentPostCount)(({ db }) => [db, "event-1", "participant-1", "2029-12-31T23:59:30.000Z"]),
    example(chats.updatePost)(({ db }) => [db, "post-1", { status: "hidden", changed_seq: 42 }]),
    example(chats.insertLike)(({ db }) => [db, "post-1", "participant-1", "2030-01-01T00:00:00.000Z"]),
    example(chats.likedPostIds)(({ db }) => [db, "participant-1", ["post-1"]]),
    example(chats.isMuted)(({ db }) => [db, "series-1", "participant-1"]),
    example(chats.setMute)(({ db }) => [db, "series-1", "participant-1", true, "person-1", "2030-01-01T00:00:00.000Z"]),
    example(chats.claimReminderSend)(({ db }) => [db, "event-1", "day_of", "email:pat@example.com", "2030-01-01T00:00:00.000Z"]),
    example(chats.upsertCrosspost)(({ db }) => [db, { id: "x-1", questionId: "question-1", eventId: "event-1", network: "mastodon", status: "failed", remoteId: null, error: "503", at: "2030-01-01T00:00:00.000Z" }]),
    example(chats.crosspostsOfEvent)(({ db }) => [db, "event-1"]),
    example(chats.insertGroup)(({ db }) => [db, { id: "group-1", district_id: D, series_id: "series-1", name: "Between chats", created_by: "person-1", created_at: "2030-01-01T00:00:00.000Z" }]),
    example(chats.findGroup)(({ db }) => [db, "group-1"]),
    example(chats.groupsOfPerson)(({ db }) => [db, D, "person-1"]),
    example(chats.membersOf)(({ db }) => [db, ["group-1"]]),
    example(chats.replaceMembers)(({ db }) => [db, "group-1", ["person-1", "person-2"], "2030-01-01T00:00:00.000Z"]),
    example(chats.insertGroupMessage)(({ db }) => [db, { id: "msg-1", group_id: "group-1", thread_id: null, author_id: "person-1", title: "Check-in", body: "How was the week?", created_at: "2030-01-01T00:00:00.000Z" }]),
    example(chats.findGroupMessage)(({ db }) => [db, "msg-1"]),
    example(chats.groupMessages)(({ db }) => [db, "group-1", null, 200]),
    example(chats.replyCounts)(({ db }) => [db, ["msg-1"]]),

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
    example(sessions.actorFromApiToken)(({ db }) => [db, "cwk_example-token"]),
    example(sessions.purgeExpired)(({ db }) => [db]),
  ],
  notSql: [
    notSql(rosteringApply.isCopied, "says which ops copyRun loads; no query"),
    notSql(people.nameColumns, "computes the folded name columns; no query"),
    notSql(rosteringLoads.enrollmentPrintText, "builds the enrolment fingerprint string the planner compares; no query"),
    notSql(rosteringApply.batchRows, "batch size arithmetic; no query"),
    notSql(rosteringApply.runBatch, "runs the statement its caller builds (applyBatch's bulk upserts)"),
    notSql(jobs.mergeJobHandlers, "joins handler maps; no query"),
    notSql(jobs.nudgeJobWorkers, "wakes this process's workers; no query"),
    notSql(jobs.defaultBackoffMs, "retry delay arithmetic; no query"),
    notSql(jobs.startJobWorker, "the worker loop: its queries are claimJobs and enqueueJob (above) and two lease updates of its own"),
  ],
};
