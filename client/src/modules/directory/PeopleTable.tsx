import { Link } from "react-router-dom";
import type { TPerson } from "../../../../shared/schemas/people.js";
import { RoleList, StatusBadge } from "../../components/RoleList.js";
import { initials } from "../../lib/format.js";

function personPath(person: TPerson): string {
  return `/directory/people/${encodeURIComponent(person.id)}`;
}

/** People as a table on wide screens and as a list of cards on phones. */
export function PeopleTable({ people, caption }: { people: TPerson[]; caption: string }) {
  return (
    <>
      <div className="table-wrap only-wide">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id}>
                <td>
                  <Link className="person-link" to={personPath(person)}>
                    <span className="avatar avatar--sm" aria-hidden="true">
                      {initials(person)}
                    </span>
                    <span>{person.displayName}</span>
                  </Link>
                </td>
                <td className="cell-muted">{person.email ?? "—"}</td>
                <td>
                  <RoleList roles={person.roles} />
                </td>
                <td>
                  <StatusBadge status={person.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="card-list only-narrow" aria-label={caption}>
        {people.map((person) => (
          <li key={person.id} className="list-card">
            <div className="list-card__head">
              <span className="avatar avatar--sm" aria-hidden="true">
                {initials(person)}
              </span>
              <Link className="list-card__title" to={personPath(person)}>
                {person.displayName}
              </Link>
              <StatusBadge status={person.status} />
            </div>
            {person.email ? <p className="list-card__meta">{person.email}</p> : null}
            <RoleList roles={person.roles} />
          </li>
        ))}
      </ul>
    </>
  );
}
