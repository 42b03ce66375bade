import type { ColumnType, Generated } from "kysely";

/**
 * The database as Kysely sees it. Columns are snake_case; presenters turn rows into the camelCase API.
 * Timestamps are ISO 8601 strings on both dialects (PostgreSQL timestamptz is parsed to a string in db/index.ts).
 */
export type DB = {
  districts: DistrictsTable;
  schools: SchoolsTable;
  people: PeopleTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  district_settings: DistrictSettingsTable;
  password_resets: PasswordResetsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  instance_settings: InstanceSettingsTable;
  coaching_categories: CoachingCategoriesTable;
  coaching_category_aliases: CoachingCategoryAliasesTable;
  coaching_cycles: CoachingCyclesTable;
  coaching_cycle_teachers: CoachingCycleTeachersTable;
  coaching_cycle_steps: CoachingCycleStepsTable;
  coaching_entries: CoachingEntriesTable;
  coaching_entry_teachers: CoachingEntryTeachersTable;
  coaching_rollup_weekly: CoachingRollupWeeklyTable;
  coaching_rollup_teacher_terms: CoachingRollupTeacherTermsTable;
  coaching_term_state: CoachingTermStateTable;
  district_terms: DistrictTermsTable;
  sso_providers: SsoProvidersTable;
  sso_login_states: SsoLoginStatesTable;
  person_identities: PersonIdentitiesTable;
  roster_orgs: RosterOrgsTable;
  academic_sessions: AcademicSessionsTable;
  courses: CoursesTable;
  classes: ClassesTable;
  class_terms: ClassTermsTable;
  enrollments: EnrollmentsTable;
  roster_imports: RosterImportsTable;
  jobs: JobsTable;
  observation_rubrics: ObservationRubricsTable;
  observation_rubric_versions: ObservationRubricVersionsTable;
  observation_apps: ObservationAppsTable;
  observations: ObservationsTable;
  observation_levels: ObservationLevelsTable;
  observation_technologies: ObservationTechnologiesTable;
  observation_comments: ObservationCommentsTable;
  observation_rollup_cells: ObservationRollupCellsTable;
  observation_rollup_profiles: ObservationRollupProfilesTable;
  observation_composites: ObservationCompositesTable;
  helpdesk_categories: HelpdeskCategoriesTable;
  helpdesk_queues: HelpdeskQueuesTable;
  helpdesk_queue_members: HelpdeskQueueMembersTable;
  helpdesk_sla_targets: HelpdeskSlaTargetsTable;
  helpdesk_departments: HelpdeskDepartmentsTable;
  helpdesk_contacts: HelpdeskContactsTable;
  helpdesk_tickets: HelpdeskTicketsTable;
  helpdesk_messages: HelpdeskMessagesTable;
  helpdesk_ticket_history: HelpdeskTicketHistoryTable;
  helpdesk_canned_replies: HelpdeskCannedRepliesTable;
  helpdesk_attachments: HelpdeskAttachmentsTable;
  device_models: DeviceModelsTable;
  device_assets: DeviceAssetsTable;
  device_assignments: DeviceAssignmentsTable;
  device_events: DeviceEventsTable;
  device_repairs: DeviceRepairsTable;
  device_rollouts: DeviceRolloutsTable;
  device_pickups: DevicePickupsTable;
  device_resources: DeviceResourcesTable;
  device_bookings: DeviceBookingsTable;
  chat_series: ChatSeriesTable;
  chat_moderators: ChatModeratorsTable;
  chat_events: ChatEventsTable;
  chat_questions: ChatQuestionsTable;
  chat_participants: ChatParticipantsTable;
  chat_posts: ChatPostsTable;
  chat_likes: ChatLikesTable;
  chat_mutes: ChatMutesTable;
  chat_reminder_sends: ChatReminderSendsTable;
  chat_crossposts: ChatCrosspostsTable;
  chat_groups: ChatGroupsTable;
  chat_group_members: ChatGroupMembersTable;
  chat_group_messages: ChatGroupMessagesTable;
};

export type DistrictsTable = {
  id: string;
  name: string;
  timezone: string;
  created_at: string;
  updated_at: string;
};

export type SchoolsTable = {
  id: string;
  district_id: string;
  name: string;
  level: "elementary" | "middle" | "high" | "other";
  code: string | null;
  status: "active" | "inactive";
  /** The OneRoster org's sourcedId when a roster import created or linked the school. */
  source_id: string | null;
  created_at: string;
  updated_at: string;
};

export type PeopleTable = {
  id: string;
  district_id: string;
  given_name: string;
  family_name: string;
  /** lower(family + ' ' + given): the directory's sort key */
  sort_name: string;
  given_lc: string;
  family_lc: string;
  email: string | null;
  password_hash: string | null;
  status: "active" | "inactive";
  grade_level: string | null;
  student_number: string | null;
  source_id: string | null;
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
};

export type RoleAssignmentsTable = {
  id: string;
  person_id: string;
  district_id: string;
  role: string;
  school_id: string | null;
  /** null: granted by hand; "roster": granted and kept in step by roster imports. */
  source: "roster" | null;
  created_at: string;
};

export type SessionsTable = {
  id_hash: string;
  person_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
};

export type ApiTokensTable = {
  id: string;
  person_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  scope: ColumnType<"read" | "read_write", "read" | "read_write" | undefined, "read" | "read_write">;
};

export type DistrictSettingsTable = {
  district_id: string;
  public_url: string | null;
  leaders_see_teacher_names: Generated<number>;
  token_max_days: Generated<number>;
  allow_private_sso_issuers: Generated<number>;
  allow_private_chat_webhooks: Generated<number>;
  /** Percent of coaches' time that should be coaching; null: no target. */
  coaching_share_target: ColumnType<number | null, number | null | undefined, number | null>;
  updated_at: string;
};

/** A term the district defined (or copied from the roster's academic sessions). */
export type DistrictTermsTable = {
  id: string;
  district_id: string;
  name: string;
  school_year: string;
  start_date: string;
  end_date: string;
  created_at: string;
};

/** The term definitions (their hash) the coaching log's term keys were last computed with. */
export type CoachingTermStateTable = {
  district_id: string;
  terms_hash: string;
  updated_at: string;
};

export type PasswordResetsTable = {
  id: string;
  person_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

export type OutboxTable = {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
};

export type AuditLogTable = {
  id: string;
  district_id: string | null;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON text */
  details: string | null;
  created_at: string;
  seq: Generated<number>;
};

export type InstanceSettingsTable = {
  key: string;
  value: string;
  updated_at: string;
};

export type CoachingCategoriesTable = {
  id: string;
  district_id: string;
  key: string;
  name: string;
  kind: "coaching" | "support";
  sort_order: number;
  status: "active" | "retired";
  created_at: string;
  updated_at: string;
};

export type CoachingCategoryAliasesTable = {
  district_id: string;
  value_key: string;
  value: string;
  category_id: string;
  updated_by: string | null;
  updated_at: string;
};

export type CoachingCyclesTable = {
  id: string;
  district_id: string;
  coach_id: string;
  school_id: string;
  title: string;
  starting_point: "outcome" | "problem";
  starting_text: string;
  status: "active" | "paused" | "complete";
  created_at: string;
  updated_at: string;
  completed_at: string | null;
};

export type CoachingCycleTeachersTable = { cycle_id: string; person_id: string };

export type CoachingCycleStepsTable = {
  id: string;
  cycle_id: string;
  stage: "goal" | "co_plan" | "co_teach" | "model" | "observe" | "reflect" | "next_step";
  date: string;
  notes: string;
  author_id: string;
  created_at: string;
  updated_at: string;
};

export type CoachingEntriesTable = {
  id: string;
  district_id: string;
  coach_id: string;
  school_id: string | null;
  category_id: string;
  /** YYYY-MM-DD */
  date: string;
  /** Monday of the ISO week, YYYY-MM-DD */
  week: string;
  /** YYYY-MM */
  month: string;
  /** The term's key: its first day (shared/terms.ts), e.g. 2026-07-01 */
  term: string;
  minutes: number;
  notes: string;
  cycle_id: string | null;
  link_type: string | null;
  link_id: string | null;
  /** Idempotency key from the client, so a retried or offline-synced save is stored once. */
  client_ref: string | null;
  created_at: string;
  updated_at: string;
};

export type CoachingEntryTeachersTable = {
  entry_id: string;
  person_id: string;
  district_id: string;
  date: string;
  coach_id: string;
  school_id: string | null;
  category_id: string;
};

/** Minutes per (ISO week ∩ month) part, school ('' for none) and category. */
export type CoachingRollupWeeklyTable = {
  district_id: string;
  week: string;
  month: string;
  school_id: string;
  category_id: string;
  minutes: number;
  entries: number;
};

/** Per teacher, term and school ('' for none). */
export type CoachingRollupTeacherTermsTable = {
  district_id: string;
  term: string;
  person_id: string;
  school_id: string;
  minutes: number;
  entries: number;
  coaching_entries: number;
};

/** An OpenID Connect identity provider a district signs in with. */
export type SsoProvidersTable = {
  id: string;
  district_id: string;
  kind: "google" | "microsoft" | "oidc";
  display_name: string;
  issuer: string;
  client_id: string;
  /** AES-256-GCM ciphertext (see modules/sso/secret-box.ts); null for a public client. */
  client_secret_enc: string | null;
  /** JSON array of lower-case email domains */
  allowed_domains: string;
  /** 0 or 1 */
  allow_self_provisioning: number;
  default_role: string;
  /** 0 or 1 */
  is_enabled: number;
  created_at: string;
  updated_at: string;
};

/** A redirect to a provider that has not come back yet; single use, short-lived. */
export type SsoLoginStatesTable = {
  state_hash: string;
  provider_id: string;
  nonce: string;
  code_verifier: string;
  browser_hash: string;
  redirect_uri: string;
  return_to: string;
  created_at: string;
  expires_at: string;
};

/** A person's subject (`sub`) at a provider, matched before their email on later sign-ins. */
export type PersonIdentitiesTable = {
  id: string;
  provider_id: string;
  subject: string;
  person_id: string;
  email: string | null;
  created_at: string;
  last_login_at: string;
};

/** Rostering (OneRoster): every row carries the source system's sourcedId. Dates are YYYY-MM-DD text. */
/** OneRoster orgs that are not schools (district, department…): references to them must resolve in later imports. */
export type RosterOrgsTable = {
  id: string;
  district_id: string;
  source_id: string;
  type: string;
  name: string;
  parent_source_id: string | null;
  status: "active" | "inactive";
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
};

export type AcademicSessionsTable = {
  id: string;
  district_id: string;
  source_id: string;
  title: string;
  type: "term" | "gradingPeriod" | "schoolYear" | "semester";
  start_date: string;
  end_date: string;
  school_year: string | null;
  parent_id: string | null;
  status: "active" | "inactive";
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
};

export type CoursesTable = {
  id: string;
  district_id: string;
  source_id: string;
  title: string;
  course_code: string | null;
  /** Comma-joined, e.g. "09,10" */
  grades: string | null;
  subjects: string | null;
  school_year_id: string | null;
  school_id: string | null;
  status: "active" | "inactive";
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
};

export type ClassesTable = {
  id: string;
  district_id: string;
  source_id: string;
  school_id: string;
  course_id: string;
  title: string;
  class_code: string | null;
  class_type: "homeroom" | "scheduled";
  location: string | null;
  grades: string | null;
  subjects: string | null;
  periods: string | null;
  status: "active" | "inactive";
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
};

export type ClassTermsTable = { class_id: string; session_id: string };

export type EnrollmentsTable = {
  id: string;
  district_id: string;
  source_id: string;
  class_id: string;
  person_id: string;
  school_id: string;
  role: "teacher" | "student";
  /** 0 or 1 */
  is_primary: number;
  begin_date: string | null;
  end_date: string | null;
  status: "active" | "inactive";
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
  /**
   * The fingerprint of class, person, school, role, primary and dates as the roster import last wrote
   * them (enrollmentPrint in rostering.loads.ts); null for rows written before it was kept. Only the
   * import writes enrolments: anything else that changes those values must set it to null.
   */
  roster_print: number | null;
};

export type RosterImportsTable = {
  id: string;
  district_id: string;
  actor_id: string | null;
  origin: "web" | "cli";
  kind: "oneroster" | "staff";
  file_name: string;
  status: "running" | "applied" | "dry_run" | "rejected" | "failed" | "interrupted";
  is_dry_run: number;
  apply_valid: number;
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  error_count: number;
  warning_count: number;
  /** JSON text */
  report: string | null;
  started_at: string;
  finished_at: string | null;
  /** While running: when the process running it last said it is alive. */
  heartbeat_at: string | null;
  /** JSON {host, pid, instance} of the process running it (see rostering.service.ts). */
  owner: string | null;
};

export type JobsTable = {
  id: string;
  kind: string;
  /** JSON text */
  payload: string;
  status: "pending" | "running" | "done" | "failed";
  run_at: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  /** The worker holding the lease while the job runs. */
  locked_by: string | null;
  locked_until: string | null;
  dedupe_key: string | null;
  created_at: string;
  finished_at: string | null;
};

export type ObservationRubricsTable = {
  id: string;
  district_id: string;
  /** Stable per district: "tim" for the default template. */
  key: string;
  name: string;
  description: string;
  status: "active" | "retired";
  /** 1 for the rubric new observations start with. */
  is_default: number;
  current_version_id: string | null;
  created_at: string;
  updated_at: string;
};

export type ObservationRubricVersionsTable = {
  id: string;
  rubric_id: string;
  district_id: string;
  version: number;
  /** JSON text: the version's dimensions, levels and descriptors (shared/schemas/observations.ts ZRubricDefinition). */
  definition: string;
  /** Set when the first observation uses the version; from then on it never changes. */
  used_at: string | null;
  created_by: string | null;
  created_at: string;
};

export type ObservationAppsTable = {
  id: string;
  district_id: string;
  name: string;
  status: "active" | "retired";
  sort_order: number;
  created_at: string;
  updated_at: string;
};

export type ObservationStatus = "draft" | "submitted" | "shared";

export type ObservationsTable = {
  id: string;
  district_id: string;
  school_id: string;
  observer_id: string;
  teacher_id: string;
  class_id: string | null;
  subject: string;
  grade: string | null;
  grade_band: string | null;
  rubric_id: string;
  rubric_version_id: string;
  /** YYYY-MM-DD */
  observed_on: string;
  /** YYYY-MM */
  month: string;
  /** e.g. 2026-27 Fall */
  term: string;
  /** e.g. 2026-27 */
  school_year: string;
  /** HH:MM */
  start_time: string | null;
  duration_minutes: number | null;
  evidence: string;
  feedback: string;
  next_step: string;
  status: ObservationStatus;
  observed_dimensions: number;
  cycle_id: string | null;
  coaching_entry_id: string | null;
  client_ref: string | null;
  received_at: string;
  submitted_at: string | null;
  shared_at: string | null;
  acknowledged_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
};

export type ObservationLevelsTable = {
  observation_id: string;
  dimension_key: string;
  dimension_position: number;
  /** Rank of the level in the rubric version (1 = first); null: not observed. */
  level: number | null;
  district_id: string;
  school_id: string;
  teacher_id: string;
  rubric_version_id: string;
  observed_on: string;
  /** 1 while the observation counts in reports (submitted or shared, not deleted). */
  in_reports: number;
};

export type ObservationTechnologiesTable = {
  observation_id: string;
  position: number;
  app_id: string | null;
  name: string;
};

export type ObservationCommentsTable = {
  id: string;
  observation_id: string;
  author_id: string;
  body: string;
  created_at: string;
};

/** Observations per school, month, dimension and level (observed levels only), recomputed with every change. */
export type ObservationRollupCellsTable = {
  district_id: string;
  rubric_id: string;
  school_id: string;
  /** YYYY-MM */
  month: string;
  term: string;
  school_year: string;
  dimension_key: string;
  level: number;
  observations: number;
};

/** Observations per school and month by highest observed level (0: none) and number of dimensions observed. */
export type ObservationRollupProfilesTable = {
  district_id: string;
  rubric_id: string;
  school_id: string;
  month: string;
  term: string;
  school_year: string;
  highest: number;
  observed: number;
  observations: number;
};

/** An admin-defined composite score. */
export type ObservationCompositesTable = {
  id: string;
  district_id: string;
  name: string;
  description: string;
  /** JSON text: [{metric, weight}] */
  terms: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

/** Help desk (issue 14): categories, queues and SLA targets are data, seeded per district on first use. */
export type HelpdeskCategoriesTable = {
  id: string;
  district_id: string;
  key: string;
  name: string;
  sort_order: number;
  status: "active" | "retired";
  created_at: string;
};

export type HelpdeskQueuesTable = {
  id: string;
  district_id: string;
  key: string;
  name: string;
  audience: "student" | "staff" | "district";
  sort_order: number;
  status: Generated<"active" | "retired">;
  created_at: string;
};

export type HelpdeskQueueMembersTable = {
  queue_id: string;
  person_id: string;
  created_at: string;
};

export type HelpdeskSlaTargetsTable = {
  district_id: string;
  category_id: string;
  priority: "low" | "normal" | "high" | "urgent";
  response_minutes: number;
  resolution_minutes: number;
};

export type HelpdeskDepartmentsTable = {
  id: string;
  district_id: string;
  name: string;
  kind: "department" | "contractor";
  status: "active" | "archived";
  created_at: string;
  updated_at: string;
};

export type HelpdeskContactsTable = {
  id: string;
  department_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  person_id: string | null;
  /** SHA-256 of the contact's punch-list link token; null: no link (or revoked). */
  link_token_hash: string | null;
  link_created_at: string | null;
  created_at: string;
};

export type HelpdeskTicketsTable = {
  id: string;
  district_id: string;
  school_id: string;
  queue_id: string;
  category_id: string;
  priority: "low" | "normal" | "high" | "urgent";
  status: "new" | "triaged" | "in_progress" | "waiting" | "escalated" | "resolved" | "closed";
  title: string;
  description: string;
  location: string;
  requester_id: string;
  created_by: string;
  via: "web" | "kiosk" | "api" | "module";
  assignee_id: string | null;
  /** The devices module's asset, when known (no foreign key: another module's table). */
  asset_id: string | null;
  department_id: string | null;
  escalation_due_on: string | null;
  escalated_at: string | null;
  /** The note written when it was last escalated: for the department or contractor (the punch list). */
  escalation_note: string | null;
  response_due_at: string;
  resolution_due_at: string;
  first_response_at: string | null;
  resolved_by: string | null;
  resolved_by_student: number | null;
  resolved_at: string | null;
  closed_at: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  client_ref: string | null;
  created_on: string;
  created_at: string;
  updated_at: string;
};

export type HelpdeskMessagesTable = {
  id: string;
  ticket_id: string;
  author_id: string | null;
  author_label: string | null;
  visibility: "reply" | "note" | "staff_note";
  body: string;
  created_at: string;
};

export type HelpdeskTicketHistoryTable = {
  id: string;
  ticket_id: string;
  actor_id: string | null;
  actor_label: string | null;
  field: string;
  from_value: string | null;
  to_value: string | null;
  created_at: string;
};

export type HelpdeskCannedRepliesTable = {
  id: string;
  district_id: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export type HelpdeskAttachmentsTable = {
  id: string;
  ticket_id: string;
  uploaded_by: string;
  content_type: string;
  byte_size: number;
  width: number;
  height: number;
  data: Buffer;
  created_at: string;
};
// ---- Devices (issue 15) ----

export type DeviceModelsTable = { id: string; district_id: string; name: string; maker: string; kind: string; created_at: string };

export type DeviceAssetsTable = {
  id: string;
  district_id: string;
  /** Normalised: upper case, no spaces. */
  tag: string;
  serial: string;
  model_id: string;
  status: string;
  is_loaner: ColumnType<number, number | undefined, number>;
  school_id: string | null;
  room: ColumnType<string, string | undefined, string>;
  purchase_date: string | null;
  warranty_end: string | null;
  funding_source: ColumnType<string, string | undefined, string>;
  notes: ColumnType<string, string | undefined, string>;
  condition: string | null;
  created_at: string;
  updated_at: string;
};

export type DeviceAssignmentsTable = {
  id: string;
  district_id: string;
  asset_id: string;
  person_id: string;
  kind: "assigned" | "loaner";
  school_id: string | null;
  rollout_id: string | null;
  due_on: string | null;
  assigned_by: string | null;
  assigned_at: string;
  returned_at: string | null;
  returned_by: string | null;
  return_condition: string | null;
};

export type DeviceEventsTable = {
  id: string;
  district_id: string;
  asset_id: string;
  person_id: string | null;
  kind: string;
  /** JSON text */
  details: string;
  actor_id: string | null;
  at: string;
};

export type DeviceRepairsTable = {
  id: string;
  district_id: string;
  asset_id: string;
  vendor: string;
  cost_cents: number | null;
  ticket_id: string | null;
  note: string;
  opened_on: string;
  closed_on: string | null;
  created_by: string | null;
  created_at: string;
};

export type DeviceRolloutsTable = {
  id: string;
  district_id: string;
  name: string;
  /** JSON text arrays */
  school_ids: string;
  grades: string;
  model_ids: string;
  steps: string;
  stations: string;
  starts_on: string;
  ends_on: string;
  created_by: string | null;
  created_at: string;
};

export type DevicePickupsTable = {
  id: string;
  rollout_id: string;
  person_id: string;
  asset_id: string;
  school_id: string | null;
  grade: string | null;
  station: string;
  /** JSON text: the step keys ticked */
  steps: string;
  by_id: string | null;
  at: string;
};

export type DeviceResourcesTable = { id: string; district_id: string; school_id: string; name: string; kind: string; feed_token: string; created_at: string };

export type DeviceBookingsTable = { id: string; resource_id: string; title: string; starts_at: string; ends_at: string; booked_by: string; created_at: string };

// ---- Community chats (issue 16) ----

export type ChatSeriesTable = {
  id: string;
  district_id: string;
  name: string;
  hashtag: string;
  description: string;
  audience: "public" | "district" | "schools";
  /** JSON array of school ids (audience "schools"). */
  audience_school_ids: string;
  /** RFC 5545 text: DTSTART;TZID=…:… and RRULE:… */
  rrule: string;
  time_zone: string;
  duration_minutes: number;
  welcome_text: string;
  guide_text: string;
  /** JSON: [{offsetMinutes, text, isClosing}] copied into each new event. */
  question_plan: string;
  reminder_email: number;
  /** JSON: cross-posting settings with sealed secrets. */
  crosspost: string;
  /** JSON: [{id, label, url, secretSealed}]. */
  webhooks: string;
  calendar_token: string;
  created_by: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
};

export type ChatModeratorsTable = {
  series_id: string;
  person_id: string;
  role: "moderator" | "co_moderator";
  created_at: string;
};

export type ChatEventsTable = {
  id: string;
  series_id: string;
  district_id: string;
  starts_at: string;
  ends_at: string;
  title: string;
  status: "scheduled" | "cancelled";
  last_seq: number;
  welcome_post_id: string | null;
  created_at: string;
};

export type ChatQuestionsTable = {
  id: string;
  event_id: string;
  number: number;
  is_closing: number;
  text: string;
  offset_minutes: number;
  post_at: string;
  post_id: string | null;
  posted_at: string | null;
  created_at: string;
  updated_at: string;
};

export type ChatParticipantsTable = {
  id: string;
  district_id: string;
  person_id: string | null;
  series_id: string | null;
  display_name: string;
  email: string | null;
  token_hash: string | null;
  wants_reminders: number;
  created_at: string;
  /** Guests: when they followed the link in the verification email; null until then (no reminders). */
  email_verified_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** SHA-256 of the verification link's token (kept after use, so a second click says "already verified"). */
  verify_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  verify_expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  verify_sent_at: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ChatPostKind = "welcome" | "question" | "answer" | "reply" | "comment";

export type ChatPostsTable = {
  id: string;
  event_id: string;
  seq: number;
  changed_seq: number;
  kind: ChatPostKind;
  participant_id: string;
  question_id: string | null;
  parent_id: string | null;
  body: string;
  status: "visible" | "hidden" | "removed";
  like_count: number;
  client_ref: string | null;
  created_at: string;
};

export type ChatLikesTable = { post_id: string; participant_id: string; created_at: string };

export type ChatMutesTable = { series_id: string; participant_id: string; muted_by: string; created_at: string };

export type ChatReminderSendsTable = { event_id: string; kind: string; recipient: string; created_at: string };

export type ChatCrosspostsTable = {
  id: string;
  question_id: string;
  event_id: string;
  network: "mastodon" | "bluesky";
  status: "pending" | "posted" | "failed";
  remote_id: string | null;
  error: string | null;
  updated_at: string;
};

export type ChatGroupsTable = { id: string; district_id: string; series_id: string | null; name: string; created_by: string; created_at: string };

export type ChatGroupMembersTable = { group_id: string; person_id: string; created_at: string };

export type ChatGroupMessagesTable = {
  id: string;
  group_id: string;
  /** Null for a thread's first message (which has a title); otherwise the thread's first message id. */
  thread_id: string | null;
  author_id: string;
  title: string | null;
  body: string;
  created_at: string;
};
