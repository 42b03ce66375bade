/** Roles a person can hold, each scoped to a school or (school null) to the whole district. */
export const ROLES = [
  "district_admin",
  "coach",
  "school_leader",
  "teacher",
  "it_staff",
  "student_tech",
  "student",
] as const;
export type Role = (typeof ROLES)[number];

/** Narrows a stored role string to a Role. */
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export const ROLE_LABELS: Record<Role, string> = {
  district_admin: "District admin",
  coach: "Coach",
  school_leader: "School leader",
  teacher: "Teacher",
  it_staff: "IT staff",
  student_tech: "Student tech",
  student: "Student",
};

/** Roles held by students: their records are education records (FERPA/GDPR). */
export const STUDENT_ROLES: readonly Role[] = ["student", "student_tech"];

export const SCHOOL_LEVELS = ["elementary", "middle", "high", "other"] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export const SCHOOL_LEVEL_LABELS: Record<SchoolLevel, string> = {
  elementary: "Elementary",
  middle: "Middle",
  high: "High",
  other: "Other",
};

export const PERSON_STATUSES = ["active", "inactive"] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
