import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { canManageRollout, inventoryManageSchools } from "../../../../shared/policy/devices.js";
import type { TList } from "../../../../shared/schemas/common.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { asApiError, http } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { deviceKeys, deviceQueries, devicesApi } from "./api.js";
import { DevicesNav } from "./DevicesNav.js";
import { day } from "./labels.js";

/** Rollouts: open a station or a board; IT staff plan new ones. */
export function RolloutsPage() {
  useDocumentTitle("Rollouts");
  const me = useMe();
  const rollouts = useQuery(deviceQueries.rollouts());
  const manages = inventoryManageSchools({ roles: me.person.roles });
  const [isNew, setIsNew] = useState(false);
  return (
    <>
      <PageHeader
        title="Rollouts and pickup stations"
        description="Open a station on the laptop at each pickup table, and the board on a screen for whoever follows up."
        actions={manages === "all" || manages.length > 0 ? <button type="button" className="button button--primary" onClick={() => setIsNew((v) => !v)}>Plan a rollout</button> : null}
      />
      <DevicesNav />
      {isNew ? <NewRollout onDone={() => setIsNew(false)} /> : null}
      {rollouts.error ? (
        <ErrorState error={asApiError(rollouts.error)} />
      ) : !rollouts.data ? (
        <Spinner />
      ) : rollouts.data.items.length === 0 ? (
        <Notice>No rollout yet.</Notice>
      ) : (
        <ul className="card-list">
          {rollouts.data.items.map((r) => (
            <li key={r.id} className="list-card">
              <div className="list-card__head">
                <span className="list-card__title">{r.name}</span>
                <span className="list-card__time">
                  {day(r.startsOn)} – {day(r.endsOn)}
                </span>
              </div>
              <p className="list-card__meta">
                Grades {r.grades.map((g) => g.replace(/^0/, "")).join(", ")} · {r.stations.length} {r.stations.length === 1 ? "station" : "stations"} · {r.steps.map((s) => s.label).join(" → ")}
              </p>
              <div className="rollout-actions">
                {r.canRunStation ? <Link className="button button--primary" to={`/devices/rollouts/${r.id}/station`}>Open a station</Link> : null}
                {r.canSeeBoard ? <Link className="button" to={`/devices/rollouts/${r.id}/board`}>Live board</Link> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function NewRollout({ onDone }: { onDone: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const schools = useQuery({ queryKey: ["devices", "schools"], queryFn: () => http.get<TList<TSchool>>("/schools", { query: { limit: 200 } }) });
  const models = useQuery(deviceQueries.models());
  const [name, setName] = useState("");
  const [schoolIds, setSchoolIds] = useState<string[]>([]);
  const [modelIds, setModelIds] = useState<string[]>([]);
  const [grades, setGrades] = useState("9");
  const [stations, setStations] = useState("Station 1, Station 2");
  const [startsOn, setStartsOn] = useState(new Date().toISOString().slice(0, 10));
  const [endsOn, setEndsOn] = useState(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const mine = (schools.data?.items ?? []).filter((s) => canManageRollout({ roles: me.person.roles }, [s.id]));
  const submit = async () => {
    setError(null);
    try {
      await devicesApi.createRollout({
        name,
        schoolIds,
        modelIds,
        grades: grades.split(/[,\s]+/).filter(Boolean),
        stations: stations.split(",").map((s) => s.trim()).filter(Boolean),
        startsOn,
        endsOn,
      });
      await client.invalidateQueries({ queryKey: deviceKeys.rollouts() });
      onDone();
    } catch (err) {
      setError(asApiError(err).message);
    }
  };
  return (
    <section className="section device-form device-form--wide" aria-label="Plan a rollout">
      <TextField label="Name" value={name} onChange={setName} placeholder="Freshman laptops, fall" />
      <fieldset className="fieldset">
        <legend>Schools</legend>
        {mine.map((s) => (
          <label key={s.id} className="check-row"><input type="checkbox" checked={schoolIds.includes(s.id)} onChange={() => setSchoolIds((l) => toggle(l, s.id))} /> {s.name}</label>
        ))}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Models handed out</legend>
        {(models.data?.items ?? []).map((m) => (
          <label key={m.id} className="check-row"><input type="checkbox" checked={modelIds.includes(m.id)} onChange={() => setModelIds((l) => toggle(l, m.id))} /> {m.name}</label>
        ))}
      </fieldset>
      <TextField label="Grades" value={grades} onChange={setGrades} hint="Separated by commas: 9, 10" />
      <TextField label="Stations" value={stations} onChange={setStations} hint="Names separated by commas" />
      <TextField label="First day" type="date" value={startsOn} onChange={setStartsOn} />
      <TextField label="Last day" type="date" value={endsOn} onChange={setEndsOn} />
      <p className="muted">Checklist: account created → intro video watched → basics explained → agreement signed.</p>
      <button type="button" className="button button--primary" onClick={() => void submit()}>Plan the rollout</button>
      {error ? <FormAlert error={error} /> : null}
    </section>
  );
}
