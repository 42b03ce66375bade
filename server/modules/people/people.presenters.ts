import type { Role } from "../../../shared/roles.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { PersonRow, RoleRow } from "./people.repository.js";

/** A person as the API shows them: never the password hash or internal sort columns. */
export function presentPerson(row: PersonRow, roles: readonly RoleRow[]): TPerson {
  return {
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    displayName: `${row.given_name} ${row.family_name}`,
    email: row.email,
    status: row.status,
    gradeLevel: row.grade_level,
    studentNumber: row.student_number,
    sourcedId: row.source_id,
    roles: roles
      .filter((r) => r.person_id === row.id)
      .map((r) => ({ role: r.role as Role, schoolId: r.school_id, schoolName: r.school_name })),
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
