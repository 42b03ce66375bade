/** Limits shared by the client forms and the server validation, so both agree. */
export const NameLimits = { max: 120 } as const;
export const EmailLimits = { max: 254 } as const;
export const PasswordLimits = { min: 10, max: 200 } as const;
export const SearchLimits = { max: 100 } as const;
export const PageLimits = { default: 50, max: 200 } as const;
/**
 * A list that can match a large part of the district (the directory) counts its matches only this far:
 * beyond it the total is `cap` with `totalIsCapped`, and the page says "1,000+". Counting 17,000
 * people who match "mar" took two thirds of the request (docs/benchmarks.md).
 */
export const CountLimits = { cap: 1000 } as const;
export const TokenLimits = { maxNameLength: 80, maxPerPerson: 20, defaultLifetimeDays: 365, maxLifetimeDays: 3650 } as const;
export const SessionLimits = {
  /** Idle sessions end after this long. */
  idleDays: 14,
  /** A session never lives longer than this. */
  absoluteDays: 90,
} as const;
export const PasswordResetLimits = { ttlMinutes: 60 } as const;
/** Sign-in throttling (server/modules/accounts/login-throttle.ts); docs/security.md explains the choice. */
export const LoginThrottleLimits = {
  /** Failures are remembered this long. */
  windowMs: 15 * 60_000,
  /** Failures an account takes before it slows down. */
  freeFailuresPerAccount: 5,
  /** Then one attempt per delay: 1 s, 2 s, 4 s… */
  firstDelayMs: 1000,
  /** …never more than this, so the owner is never locked out. */
  maxDelayMs: 60_000,
  /** Failed sign-ins from one address (over any accounts) before it is refused for the window. */
  perAddressFailures: 20,
  /** Accounts and addresses remembered at once (oldest forgotten first). */
  maxTracked: 100_000,
} as const;
export const CoachingLimits = {
  /** One entry is at most a (long) working day. */
  maxMinutesPerEntry: 960,
  /** One coach cannot log more than 16 hours on one day. */
  maxMinutesPerDay: 960,
  /** Entries may be dated at most this many days ahead (time zones, planning tomorrow). */
  maxDaysAhead: 1,
  /** Distinct activity values an import may map to categories in one request. */
  maxImportCategoryValues: 200,
  earliestDate: "2000-01-01",
  maxNotes: 4000,
  maxTeachersPerEntry: 40,
  minutePresets: [15, 30, 45, 60, 90],
  maxImportBytes: 5 * 1024 * 1024,
  maxImportRows: 20_000,
} as const;
export const RosterLimits = {
  /** One upload (a OneRoster .zip or a staff .csv) over HTTP. */
  maxUploadBytes: 256 * 1024 * 1024,
  /**
   * One CSV file, uncompressed. A OneRoster set for 200,000 users and 1,000,000 enrolments is about
   * 140 MB; the cap keeps a runaway export (or a zip bomb) from filling the disk and the memory.
   */
  maxFileBytes: 256 * 1024 * 1024,
  /**
   * All the CSV files of one archive together, uncompressed: four files just under the per-file cap
   * would otherwise keep the server busy for minutes. Checked from the archive's directory before
   * anything is inflated (yauzl then holds every entry to its declared size).
   */
  maxTotalBytes: 384 * 1024 * 1024,
  /** Issues kept in the stored report (the counts are always complete). */
  maxReportIssues: 5000,
  /** Rows in a plain staff CSV. */
  maxStaffRows: 50_000,
} as const;
export const ObservationLimits = {
  /** A lesson observed is dated at most this many days after the server's today (a device's clock may run ahead a little). */
  maxDaysAhead: 1,
  earliestDate: "2000-01-01",
  maxDurationMinutes: 600,
  maxText: 8000,
  maxSubject: 120,
  maxTechnologies: 20,
  maxTechnologyName: 80,
  maxComment: 4000,
  maxDimensions: 12,
  maxLevels: 10,
  maxDescriptor: 600,
} as const;
