/** Limits shared by the client forms and the server validation, so both agree. */
export const NameLimits = { max: 120 } as const;
export const EmailLimits = { max: 254 } as const;
export const PasswordLimits = { min: 10, max: 200 } as const;
export const SearchLimits = { max: 100 } as const;
export const PageLimits = { default: 50, max: 200 } as const;
export const TokenLimits = { maxNameLength: 80, maxPerPerson: 20 } as const;
export const SessionLimits = {
  /** Idle sessions end after this long. */
  idleDays: 14,
  /** A session never lives longer than this. */
  absoluteDays: 90,
} as const;
export const PasswordResetLimits = { ttlMinutes: 60 } as const;
