import { Link } from "react-router-dom";
import type { TPerson } from "../../../../shared/schemas/people.js";
import { RoleList, StatusBadge } from "../../components/RoleList.js";
import { initials } from "../../lib/format.js";
import { DataTable, type Column } from "../../kits/DataTable.js";

function personPath(person: TPerson): string {
  return `/directory/people/${encodeURIComponent(person.id)}`;
}

const COLUMNS: Column<TPerson>[] = [
  {
    id: "name",
    header: "Name",
    isPrimary: true,
    cell: (person) => (
      <Link className="person-link" to={personPath(person)}>
        <span className="avatar avatar--sm" aria-hidden="true">
          {initials(person)}
        </span>
        <span>{person.displayName}</span>
      </Link>
    ),
  },
  { id: "email", header: "Email", className: "cell-muted", cell: (person) => person.email ?? "—", isEmpty: (person) => !person.email },
  { id: "roles", header: "Roles", cell: (person) => <RoleList roles={person.roles} /> },
  { id: "status", header: "Status", cell: (person) => <StatusBadge status={person.status} /> },
];

/** People as a table on wide screens and as cards on phones. */
export function PeopleTable({ people, caption }: { people: TPerson[]; caption: string }) {
  return <DataTable rows={people} columns={COLUMNS} rowKey={(person) => person.id} caption={caption} />;
}
