import type { TPerson } from "../../../shared/schemas/people.js";
import { ROLE_LABELS } from "../../../shared/roles.js";
import { Link } from "react-router-dom";

/** Roles as badges with their school (or "District-wide"). */
export function RoleList({ roles, isLinked = false }: { roles: TPerson["roles"]; isLinked?: boolean }) {
  if (roles.length === 0) return <span className="muted">No roles</span>;
  return (
    <ul className="role-list">
      {roles.map((assignment) => (
        <li key={`${assignment.role}:${assignment.schoolId ?? "district"}`} className="role-list__item">
          <span className={`badge badge--role badge--${assignment.role}`}>{ROLE_LABELS[assignment.role]}</span>
          <span className="role-list__scope">
            {assignment.schoolId === null ? (
              "District-wide"
            ) : isLinked ? (
              <Link to={`/directory/schools/${encodeURIComponent(assignment.schoolId)}`}>
                {assignment.schoolName ?? "Unknown school"}
              </Link>
            ) : (
              (assignment.schoolName ?? "Unknown school")
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status }: { status: "active" | "inactive" }) {
  return <span className={`badge badge--${status}`}>{status === "active" ? "Active" : "Inactive"}</span>;
}
