import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TBooking } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { deviceKeys, deviceQueries, devicesApi } from "./api.js";
import { DevicesNav } from "./DevicesNav.js";

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });

/** Carts, labs and the makerspace: a week's calendar per resource, booking, and its iCal feed. */
export function BookingsPage() {
  useDocumentTitle("Bookings");
  const resources = useQuery(deviceQueries.resources());
  const [resourceId, setResourceId] = useState("");
  const [weekStart, setWeekStart] = useState(() => startOfDay(new Date()));
  const list = resources.data?.items ?? [];
  const current = list.find((r) => r.id === resourceId) ?? list[0];
  return (
    <>
      <PageHeader title="Bookings" description="Book a cart, a lab or the makerspace. A time that overlaps another booking is refused." />
      <DevicesNav />
      {!resources.data ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Notice>No bookable resource at your schools yet. IT staff add carts and labs.</Notice>
      ) : current ? (
        <>
          <div className="filters">
            <SelectField label="Resource" value={current.id} onChange={setResourceId} options={list.map((r) => ({ value: r.id, label: `${r.name} · ${r.schoolName}` }))} />
            <div className="week-nav">
              <button type="button" className="button button--small" onClick={() => setWeekStart((d) => new Date(d.getTime() - 7 * 86_400_000))}>Previous week</button>
              <button type="button" className="button button--small" onClick={() => setWeekStart((d) => new Date(d.getTime() + 7 * 86_400_000))}>Next week</button>
            </div>
          </div>
          <Week resourceId={current.id} start={weekStart} />
          {current.feedUrl ? (
            <p className="muted">
              Subscribe in a calendar app: <code className="feed-url">{current.feedUrl.startsWith("/") ? `${window.location.origin}${current.feedUrl}` : current.feedUrl}</code>
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function Week({ resourceId, start }: { resourceId: string; start: Date }) {
  const client = useQueryClient();
  const from = start.toISOString();
  const to = new Date(start.getTime() + 7 * 86_400_000).toISOString();
  const bookings = useQuery(deviceQueries.bookings(resourceId, from, to));
  const [date, setDate] = useState(dayKey(start));
  const [startTime, setStartTime] = useState("09:00");
  const [endTime, setEndTime] = useState("10:00");
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  const days = Array.from({ length: 7 }, (_, i) => new Date(start.getTime() + i * 86_400_000));
  const byDay = new Map<string, TBooking[]>();
  for (const b of bookings.data?.items ?? []) {
    const k = dayKey(new Date(b.startsAt));
    byDay.set(k, [...(byDay.get(k) ?? []), b]);
  }
  const book = async () => {
    setError(null);
    try {
      await devicesApi.book(resourceId, { title, startsAt: new Date(`${date}T${startTime}`).toISOString(), endsAt: new Date(`${date}T${endTime}`).toISOString() });
      setTitle("");
      await client.invalidateQueries({ queryKey: deviceKeys.all });
    } catch (err) {
      setError(asApiError(err).message);
    }
  };
  return (
    <>
      <ol className="week" aria-label="This week's bookings">
        {days.map((d) => (
          <li key={dayKey(d)} className="week__day">
            <h3 className="week__title">{d.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}</h3>
            <ul className="week__list">
              {(byDay.get(dayKey(d)) ?? []).map((b) => (
                <li key={b.id} className="week__booking">
                  <span className="week__time">{time(b.startsAt)}–{time(b.endsAt)}</span> {b.title}
                  <span className="muted"> · {b.bookedByName}</span>
                  {b.canCancel ? (
                    <button type="button" className="button button--small button--ghost" onClick={() => void devicesApi.cancelBooking(b.id).then(() => client.invalidateQueries({ queryKey: deviceKeys.all }))}>
                      Cancel
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <section className="section device-form device-form--row" aria-label="Book">
        <TextField label="What for" value={title} onChange={setTitle} placeholder="Period 3 research" />
        <TextField label="Day" type="date" value={date} onChange={setDate} />
        <TextField label="From" type="time" value={startTime} onChange={setStartTime} />
        <TextField label="To" type="time" value={endTime} onChange={setEndTime} />
        <button type="button" className="button button--primary" onClick={() => void book()}>Book</button>
      </section>
      {error ? <FormAlert error={error} /> : null}
    </>
  );
}
