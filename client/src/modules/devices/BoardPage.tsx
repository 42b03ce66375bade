import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useParams } from "react-router-dom";
import type { TBoard } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { DataTable } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { deviceKeys, deviceQueries } from "./api.js";
import { useTopic } from "./useTopic.js";

type Count = TBoard["bySchool"][number];

/** The live board of a rollout: follows its realtime topic and refetches (at most every second) on each pickup. */
export function BoardPage() {
  const { id = "" } = useParams();
  const client = useQueryClient();
  const rollout = useQuery(deviceQueries.rollout(id));
  const board = useQuery(deviceQueries.board(id));
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const isLive = useTopic(`rollout:${id}`, () => {
    if (pending.current) return;
    const wait = Math.max(0, last.current + 1000 - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      last.current = Date.now();
      void client.invalidateQueries({ queryKey: deviceKeys.board(id) });
    }, wait);
  });
  useDocumentTitle(rollout.data ? `Board · ${rollout.data.name}` : "Rollout board");
  if (board.error) return <ErrorState error={asApiError(board.error)} onRetry={() => void board.refetch()} />;
  if (!board.data) return <Spinner label="Loading the board…" />;
  const b = board.data;
  const total = b.pickedUp + b.remaining;
  const pct = total === 0 ? 0 : Math.round((b.pickedUp / total) * 100);
  const countColumns = (header: string) => [
    { id: "label", header, isRowHeader: true, cell: (c: Count) => c.label },
    { id: "picked", header: "Picked up", className: "cell-number", cell: (c: Count) => c.pickedUp.toLocaleString() },
    { id: "remaining", header: "Remaining", className: "cell-number", cell: (c: Count) => c.remaining.toLocaleString() },
    { id: "bar", header: "Progress", cell: (c: Count) => <Progress value={c.pickedUp} max={c.pickedUp + c.remaining} label={c.label} /> },
  ];
  return (
    <>
      <PageHeader
        breadcrumb={{ to: "/devices/rollouts", label: "Rollouts" }}
        title={rollout.data?.name ?? "Rollout"}
        description={<span className={`live-dot${isLive ? " is-live" : ""}`}>{isLive ? "Live: updates as stations hand out devices" : "Reconnecting…"}</span>}
      />
      <div className="board-totals" aria-label="Totals">
        <div className="board-total">
          <span className="board-total__value" data-testid="board-picked">{b.pickedUp.toLocaleString()}</span>
          <span className="board-total__label">picked up</span>
        </div>
        <div className="board-total">
          <span className="board-total__value" data-testid="board-remaining">{b.remaining.toLocaleString()}</span>
          <span className="board-total__label">still to come</span>
        </div>
        <div className="board-total board-total--wide">
          <Progress value={b.pickedUp} max={total} label="All schools" />
          <span className="board-total__label">{pct}% done</span>
        </div>
      </div>
      <div className="board-grid">
        <DataTable rows={b.bySchool} rowKey={(c) => c.key} caption="By school" isCaptionShown columns={countColumns("School")} isDense />
        <DataTable rows={b.byGrade} rowKey={(c) => c.key} caption="By grade" isCaptionShown columns={countColumns("Grade")} isDense />
        <DataTable
          rows={b.byStation}
          rowKey={(s) => s.station}
          caption="By station"
          isCaptionShown
          isDense
          columns={[
            { id: "station", header: "Station", isRowHeader: true, cell: (s) => s.station },
            { id: "picked", header: "Handed out", className: "cell-number", cell: (s) => s.pickedUp.toLocaleString() },
          ]}
        />
      </div>
      <section className="section" aria-labelledby="to-come-title">
        <h2 id="to-come-title" className="section__title">Still to come ({b.toComeTotal.toLocaleString()})</h2>
        <DataTable
          rows={b.toCome}
          rowKey={(s) => s.id}
          caption="Students still to come"
          isDense
          empty={<p>Everyone has picked up their device.</p>}
          columns={[
            { id: "name", header: "Student", isPrimary: true, cell: (s) => s.name, sortValue: (s) => s.name },
            { id: "grade", header: "Grade", cell: (s) => s.grade ?? "—", sortValue: (s) => s.grade ?? "" },
            { id: "school", header: "School", cell: (s) => s.schoolName, sortValue: (s) => s.schoolName },
          ]}
        />
        {b.toComeTotal > b.toCome.length ? <p className="muted">Showing the first {b.toCome.length.toLocaleString()}.</p> : null}
      </section>
    </>
  );
}

function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  return <progress className="board-progress" value={value} max={Math.max(max, 1)} aria-label={`${label}: ${value} of ${max}`} />;
}
