import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { canManageInventoryAt } from "../../../../shared/policy/devices.js";
import type { TList } from "../../../../shared/schemas/common.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import { asApiError, http } from "../../api/client.js";
import { FormAlert, Notice } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { useMe } from "../../lib/session.js";
import { deviceKeys, deviceQueries } from "./api.js";

type Result = { dryRun: boolean; students: number; alreadyHave: number; assigned: number; shortBy: number };

/** "Every 9th grader at this school gets a device of this model": counted first, then applied. */
export function RuleAssign({ onClose }: { onClose: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const schools = useQuery({ queryKey: ["devices", "schools"], queryFn: () => http.get<TList<TSchool>>("/schools", { query: { limit: 200 } }) });
  const models = useQuery(deviceQueries.models());
  const mine = (schools.data?.items ?? []).filter((s) => canManageInventoryAt({ roles: me.person.roles }, s.id));
  const [schoolId, setSchoolId] = useState("");
  const [grade, setGrade] = useState("9");
  const [modelId, setModelId] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const body = { schoolId: schoolId || mine[0]?.id || "", grade, modelId: modelId || models.data?.items[0]?.id || "" };
  const send = async (dryRun: boolean) => {
    setError(null);
    try {
      setResult(await http.post<Result>("/devices/assign-rule", { ...body, dryRun }));
      if (!dryRun) await client.invalidateQueries({ queryKey: deviceKeys.all });
    } catch (err) {
      setError(asApiError(err).message);
    }
  };
  return (
    <section className="section bulk-bar" aria-label="Assign by rule">
      <SelectField label="Every student at" value={body.schoolId} onChange={(v) => { setSchoolId(v); setResult(null); }} options={mine.map((s) => ({ value: s.id, label: s.name }))} />
      <TextField label="In grade" value={grade} onChange={(v) => { setGrade(v); setResult(null); }} />
      <SelectField label="Gets a" value={body.modelId} onChange={(v) => { setModelId(v); setResult(null); }} options={(models.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))} />
      <button type="button" className="button" onClick={() => void send(true)}>Count</button>
      {result?.dryRun && result.assigned > 0 ? <button type="button" className="button button--primary" onClick={() => void send(false)}>Assign {result.assigned}</button> : null}
      <button type="button" className="button button--ghost" onClick={onClose}>Close</button>
      {result ? (
        <Notice tone={result.shortBy > 0 ? "warning" : "success"}>
          {result.students} students; {result.alreadyHave} already have a device; {result.dryRun ? "would assign" : "assigned"} {result.assigned}
          {result.shortBy > 0 ? `; ${result.shortBy} left without one (the in-stock pool ran out)` : ""}.
        </Notice>
      ) : null}
      {error ? <FormAlert error={error} /> : null}
    </section>
  );
}
