import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { canOpenInventory } from "../../../../shared/policy/devices.js";
import { Notice, Spinner } from "../../components/Feedback.js";
import { useMe } from "../../lib/session.js";
import { deviceQueries } from "./api.js";
import { day, eventLabel, when } from "./labels.js";
import { AssetStatus } from "./StatusBadge.js";
import "./devices.css";

/** A person's devices now and over time (the person page's Devices section, and "My devices"). */
export function MyDevices({ personId }: { personId: string }) {
  const me = useMe();
  const devices = useQuery({ ...deviceQueries.person(personId), retry: false });
  const canLink = canOpenInventory({ roles: me.person.roles });
  if (devices.error) return null;
  if (!devices.data) return <Spinner label="Loading devices…" />;
  const d = devices.data;
  return (
    <div className="person-devices">
      {d.current.length === 0 ? (
        <p>No device at the moment.</p>
      ) : (
        <ul className="device-cards" aria-label="Devices now">
          {d.current.map((a) => (
            <li key={a.id} className="device-card">
              <span className="device-card__tag">{canLink ? <Link to={`/devices/assets/${a.id}`}>{a.tag}</Link> : a.tag}</span>
              <span>{a.modelName}</span>
              <AssetStatus status={a.status} />
              {a.assignee?.kind === "loaner" && a.assignee.dueOn ? <span className="muted">Loan due {day(a.assignee.dueOn)}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {d.history.length > 0 ? (
        <details className="person-devices__history">
          <summary>History ({d.history.length})</summary>
          <ul className="timeline">
            {d.history.map((e) => (
              <li key={e.id}>
                <span className="timeline__when">{when(e.at)}</span> {eventLabel(e.kind)} · <span className="cell-mono">{e.tag}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** The person page's Devices section: shown when the reader may see the person's devices (the server decides). */
export function PersonDevicesSection({ personId }: { personId: string }) {
  const devices = useQuery({ ...deviceQueries.person(personId), retry: false });
  if (devices.error) return null;
  return (
    <section className="section" aria-labelledby="person-devices-title">
      <div className="section__header">
        <h2 id="person-devices-title" className="section__title">
          Devices
        </h2>
      </div>
      {devices.data ? <MyDevices personId={personId} /> : <Notice>Loading devices…</Notice>}
    </section>
  );
}
