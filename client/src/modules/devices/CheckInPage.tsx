import { useRef, useState } from "react";
import { CONDITIONS, CONDITION_LABELS, normaliseTag } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { PageHeader } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { devicesApi } from "./api.js";
import { DevicesNav } from "./DevicesNav.js";

type Outcome = { tone: "ok" | "error"; text: string };

/** End-of-year collection: pick a condition grade, scan each device; each scan checks one in. */
export function CheckInPage() {
  useDocumentTitle("Check devices in");
  const [condition, setCondition] = useState<string>("B");
  const [tag, setTag] = useState("");
  const [log, setLog] = useState<Outcome[]>([]);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const submit = async () => {
    const clean = normaliseTag(tag);
    setTag("");
    if (!clean) return;
    try {
      const r = await devicesApi.checkIn({ tag: clean, condition });
      setLog((l) => [{ tone: "ok" as const, text: `${r.asset.tag} checked in${r.returnedBy ? ` from ${r.returnedBy}` : ""} · condition ${condition}` }, ...l].slice(0, 30));
    } catch (err) {
      setLog((l) => [{ tone: "error" as const, text: `${clean}: ${asApiError(err).message}` }, ...l].slice(0, 30));
    }
    inputRef.current?.focus();
  };
  return (
    <>
      <PageHeader title="Check devices in" description="End of year or a return: choose the condition, then scan each asset tag." />
      <DevicesNav />
      <fieldset className="condition-picker">
        <legend>Condition</legend>
        {CONDITIONS.map((c) => (
          <label key={c} className={`condition-picker__option${condition === c ? " is-selected" : ""}`}>
            <input type="radio" name="condition" value={c} checked={condition === c} onChange={() => setCondition(c)} /> {CONDITION_LABELS[c]}
          </label>
        ))}
      </fieldset>
      <form
        className="scan-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field__label" htmlFor="checkin-tag">Asset tag</label>
        <input id="checkin-tag" ref={inputRef} className="input scan-input" autoComplete="off" autoFocus value={tag} onChange={(e) => setTag(e.target.value)} placeholder="Scan or type, then Enter" />
      </form>
      <ul className="scan-log" aria-live="polite" aria-label="Checked in">
        {log.map((o, i) => (
          <li key={`${i}:${o.text}`} className={`scan-log__item scan-log__item--${o.tone}`}>{o.text}</li>
        ))}
      </ul>
    </>
  );
}
