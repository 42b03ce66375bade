import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { normaliseTag, type TPickupResult, type TStationStudent } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, Spinner } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { deviceQueries, devicesApi } from "./api.js";
import { hasBarcodeDetector, useCameraScanner } from "./scan.js";

// The pickup station: full screen, made for a USB scanner that types fast and ends with Enter. One
// input always has the focus. The common case is three actions: scan the student's card, scan the
// device's tag, Enter (or tap Done) with the checklist ticked; then the screen clears for the next
// student. The station never sees more of a student than name, grade, photo and device.

type Phase =
  | { kind: "student" }
  | { kind: "pick"; options: TStationStudent[] }
  | { kind: "device"; student: TStationStudent; scanned: string }
  | { kind: "checklist"; student: TStationStudent; scanned: string; tag: string }
  | { kind: "done"; result: TPickupResult };
type Message = { tone: "info" | "warning" | "error"; text: string } | null;

/** What a scanner adds around a student number: stray symbols and spaces. */
const cleanScan = (raw: string) => raw.trim().replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");

export function StationPage() {
  const { id = "" } = useParams();
  const rollout = useQuery(deviceQueries.rollout(id));
  useDocumentTitle(rollout.data ? `Station · ${rollout.data.name}` : "Pickup station");
  const [station, setStation] = useState(() => localStorage.getItem(`devices.station.${id}`) ?? "");
  const [phase, setPhase] = useState<Phase>({ kind: "student" });
  const [message, setMessage] = useState<Message>(null);
  const [value, setValue] = useState("");
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [isBusy, setIsBusy] = useState(false);
  const [isCamera, setIsCamera] = useState(false);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const r = rollout.data;
  const stationName = station && r?.stations.includes(station) ? station : (r?.stations[0] ?? "");

  // The scanner types into whatever has the focus: keep it on the one input, at every step.
  useEffect(() => {
    if (!isBusy) inputRef.current?.focus();
  }, [phase, isBusy, r]);

  const chooseStudent = (student: TStationStudent, scanned: string) => {
    if (student.pickedUp) {
      setMessage({ tone: "warning", text: `${student.name} has already picked up ${student.device ? student.device.tag : "a device"}.` });
      setPhase({ kind: "student" });
      return;
    }
    setMessage(student.device ? { tone: "warning", text: `${student.name} already has ${student.device.tag}; scan a device only if this one replaces it.` } : null);
    setPhase({ kind: "device", student, scanned });
  };

  const finish = async (student: TStationStudent, tag: string) => {
    if (!r) return;
    setIsBusy(true);
    try {
      const result = await devicesApi.pickup(r.id, { studentId: student.id, tag, station: stationName, steps: [...ticked] });
      setPhase({ kind: "done", result });
      setMessage(null);
    } catch (err) {
      const e = asApiError(err);
      setMessage({ tone: "error", text: e.message });
      setPhase(e.message.includes("already picked up") || e.message.includes("roster") ? { kind: "student" } : { kind: "device", student, scanned: "" });
    } finally {
      setIsBusy(false);
    }
  };

  const handle = async (raw: string) => {
    if (!r || isBusy) return;
    const scan = cleanScan(raw);
    if (phase.kind === "checklist") {
      if (!scan) return finish(phase.student, phase.tag);
      const tag = normaliseTag(scan);
      if (tag === phase.tag) return setMessage({ tone: "info", text: `${tag} is already scanned: press Enter or tap Done.` });
      setMessage({ tone: "info", text: `Device changed to ${tag}.` });
      return setPhase({ ...phase, tag });
    }
    if (!scan) return;
    if (phase.kind === "device") {
      if (scan.toUpperCase() === phase.scanned.toUpperCase()) return setMessage({ tone: "info", text: `That was ${phase.student.name}'s card again: now scan the device's asset tag.` });
      const tag = normaliseTag(scan);
      setTicked(new Set(r.steps.map((s) => s.key)));
      setMessage(null);
      return setPhase({ kind: "checklist", student: phase.student, scanned: phase.scanned, tag });
    }
    if (phase.kind === "done" && normaliseTag(scan) === phase.result.tag) return setMessage({ tone: "info", text: `${phase.result.tag} was just handed to ${phase.result.student.name}. Scan the next student's card.` });
    setIsBusy(true);
    try {
      const { items } = await devicesApi.lookup(r.id, scan);
      if (items.length === 0) {
        setMessage({ tone: "error", text: `No student “${scan}” in this rollout's schools and grades. Check the card, or send them to the help desk.` });
        setPhase({ kind: "student" });
      } else if (items.length === 1 && items[0]) chooseStudent(items[0], scan);
      else {
        setMessage(null);
        setPhase({ kind: "pick", options: items });
      }
    } catch (err) {
      setMessage({ tone: "error", text: asApiError(err).message });
    } finally {
      setIsBusy(false);
    }
  };

  const camera = useCameraScanner(isCamera, (code) => void handle(code));
  if (rollout.error) return <ErrorState error={asApiError(rollout.error)} />;
  if (!r) return <Spinner label="Opening the station…" />;

  const prompt =
    phase.kind === "device" ? "Scan the device's asset tag" : phase.kind === "checklist" ? "Tick what was done, then Enter or Done" : "Scan the student's ID card, or type a name";
  const student = phase.kind === "device" || phase.kind === "checklist" ? phase.student : null;
  return (
    <div className="station" role="main" aria-label="Pickup station">
      <header className="station__bar">
        <div>
          <strong>{r.name}</strong>
          <span className="station__sub"> · pickup station</span>
        </div>
        <label className="station__picker">
          Station{" "}
          <select
            className="select"
            value={stationName}
            onChange={(e) => {
              setStation(e.target.value);
              localStorage.setItem(`devices.station.${id}`, e.target.value);
            }}
          >
            {r.stations.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {hasBarcodeDetector() ? (
          <button type="button" className="button button--small" onClick={() => setIsCamera((v) => !v)}>
            {isCamera ? "Stop camera" : "Use camera"}
          </button>
        ) : null}
        <Link className="button button--small button--ghost" to="/devices/rollouts">Leave station</Link>
      </header>
      <div className="station__body">
        <form
          className="station__scan"
          onSubmit={(e) => {
            e.preventDefault();
            const v = value;
            setValue("");
            void handle(v);
          }}
        >
          <label htmlFor="station-input" className="station__prompt">{prompt}</label>
          <input id="station-input" ref={inputRef} className="input station__input" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" autoCapitalize="off" spellCheck={false} autoFocus readOnly={isBusy} />
        </form>
        {isCamera ? (
          <div className="station__camera">
            <video ref={camera.videoRef} muted playsInline aria-label="Camera view" />
            {camera.error ? <p className="station__message station__message--error">{camera.error}</p> : null}
          </div>
        ) : null}
        <div aria-live="assertive" className="station__live">
          {message ? <p className={`station__message station__message--${message.tone}`}>{message.text}</p> : null}
        </div>
        {phase.kind === "pick" ? (
          <ul className="station__options" aria-label="Which student?">
            {phase.options.map((s) => (
              <li key={s.id}>
                <button type="button" className="station__option" onClick={() => chooseStudent(s, s.name)}>
                  <span className="station__name">{s.name}</span> <span>Grade {s.grade ?? "—"}</span>
                  {s.pickedUp ? <span className="muted"> · already picked up</span> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {student ? (
          <section className="station__card" aria-label="Student">
            <div className="station__avatar" aria-hidden="true">{student.name.split(" ").map((w) => w[0]).join("").slice(0, 2)}</div>
            <div>
              <div className="station__name">{student.name}</div>
              <div>Grade {student.grade?.replace(/^0/, "") ?? "—"}</div>
              {phase.kind === "checklist" ? <div className="station__tag">Device {phase.tag}</div> : null}
            </div>
          </section>
        ) : null}
        {phase.kind === "checklist" ? (
          <fieldset className="station__steps">
            <legend>Checklist</legend>
            {r.steps.map((s) => (
              <label key={s.key} className="station__step">
                <input
                  type="checkbox"
                  checked={ticked.has(s.key)}
                  onChange={() =>
                    setTicked((t) => {
                      const n = new Set(t);
                      if (n.has(s.key)) n.delete(s.key);
                      else n.add(s.key);
                      return n;
                    })
                  }
                />{" "}
                {s.label}
              </label>
            ))}
            <div className="station__done-row">
              <button type="button" className="button button--primary station__done" disabled={isBusy} onClick={() => void finish(phase.student, phase.tag)}>
                Done
              </button>
              <button type="button" className="button button--ghost" onClick={() => { setPhase({ kind: "student" }); setMessage(null); }}>
                Cancel
              </button>
            </div>
          </fieldset>
        ) : null}
        {phase.kind === "done" ? (
          <section className="station__success" aria-label="Handed out">
            <div className="station__check" aria-hidden="true">✓</div>
            <div>
              <div className="station__name">{phase.result.student.name}</div>
              <div>
                has {phase.result.tag} · {phase.result.modelName}
              </div>
              <div className="muted">Next student: scan their card.</div>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
