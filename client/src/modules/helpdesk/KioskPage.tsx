import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link } from "react-router-dom";
import { z } from "zod";
import type { TKioskStudent, TTicket, TTicketSummary } from "../../../../shared/schemas/helpdesk.js";
import { asApiError } from "../../api/client.js";
import { FormAlert, Notice, PageHeader } from "../../components/Feedback.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { Form, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskApi, helpdeskKeys, helpdeskQueries } from "./api.js";
import { TakeButton } from "./QueuePage.js";
import { HelpdeskTabs, StatusBadge, TicketLink, when } from "./shared.js";
import { TicketForm } from "./TicketForm.js";
import { LiveBadge, useLiveQueues } from "./useLiveQueues.js";

const ZLookup = z.object({ studentNumber: z.string().trim().min(1, "scan or type the student's ID").max(40) });

/**
 * The walk-up desk: a student assistant scans (a scanner types and presses Enter) or types a
 * student's ID, sees that student's open tickets, and opens a new one for them.
 */
export function KioskPage() {
  useDocumentTitle("Help desk kiosk");
  const me = useMe();
  const live = useLiveQueues(me);
  const queryClient = useQueryClient();
  const [student, setStudent] = useState<(TKioskStudent & { number: string }) | null>(null);
  const [filed, setFiled] = useState<TTicket | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lookup = useZodForm(ZLookup, { studentNumber: "" });
  const schools = useQuery(helpdeskQueries.schools());
  const queues = useQuery(helpdeskQueries.queues());
  const studentQueue = queues.data?.items.find((q) => q.audience === "student");
  const open = useQuery({
    ...helpdeskQueries.list({ queueId: studentQueue?.id, requesterId: student?.id, status: "open", limit: 50 }),
    enabled: Boolean(student && studentQueue),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const columns: Column<TTicketSummary>[] = [
    { id: "title", header: "Problem", isPrimary: true, cell: (t) => <TicketLink t={t} /> },
    { id: "status", header: "Status", cell: (t) => <StatusBadge status={t.status} /> },
    { id: "filed", header: "Filed", cell: (t) => when(t.createdAt) },
    { id: "who", header: "Taken by", cell: (t) => <TakeButton t={t} onError={setError} /> },
  ];
  const reset = () => {
    setStudent(null);
    setFiled(null);
    setError(null);
    lookup.reset({ studentNumber: "" });
    lookup.setFocus("studentNumber");
  };
  return (
    <div className="hd-kiosk">
      <PageHeader title="Kiosk" description="Scan the student's ID card, or type the number, to see their tickets and open a new one." actions={<LiveBadge state={live} />} />
      <HelpdeskTabs me={me} />
      <section className="panel hd-kiosk__scan" aria-labelledby="hd-scan">
        <h2 id="hd-scan" className="panel__title">Student</h2>
        <Form
          form={lookup}
          className="form hd-kiosk__form"
          onSubmit={async ({ studentNumber }) => {
            setFiled(null);
            setError(null);
            const found = await helpdeskApi.student(studentNumber);
            setStudent({ ...found, number: studentNumber });
            setTimeout(() => heading.current?.focus(), 0);
          }}
          describeError={(e) => (e.status === 404 ? "No student has this ID. Check the number, or ask the student to spell it." : null)}
        >
          <FormTextField name="studentNumber" label="Student ID" autoFocus autoComplete="off" inputMode="text" placeholder="Scan or type" />
          <SubmitButton label="Find" pendingLabel="Finding…" />
        </Form>
      </section>
      {error ? <FormAlert error={asApiError(error)} /> : null}
      {student ? (
        <section className="panel" aria-labelledby="hd-student">
          <h2 id="hd-student" className="panel__title" tabIndex={-1} ref={heading}>
            {student.name}
            {student.gradeLevel ? <span className="hd-muted"> · grade {student.gradeLevel.replace(/^0/, "")}</span> : null}
          </h2>
          {filed ? (
            <Notice tone="success">
              Ticket opened for {student.name}: <Link to={`/helpdesk/tickets/${encodeURIComponent(filed.id)}`}>{filed.title}</Link>
            </Notice>
          ) : null}
          <h3 className="hd-subtitle">Open tickets</h3>
          {open.data?.items.length ? (
            <DataTable rows={open.data.items} columns={columns} rowKey={(t) => t.id} caption={`Open tickets of ${student.name}`} />
          ) : (
            <p className="hd-muted">{open.isLoading ? "Loading…" : "None open."}</p>
          )}
          <h3 className="hd-subtitle">New ticket for {student.name}</h3>
          <TicketForm
            key={`${student.id}:${filed?.id ?? ""}`}
            schools={(schools.data?.items ?? []).filter((s) => student.schoolIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name }))}
            studentNumber={student.number}
            submitLabel="Open ticket"
            onFiled={(t) => {
              setFiled(t);
              // The student's open tickets include the new one at once, not only when the live queue says so (or never, offline).
              void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
            }}
          />
          <button type="button" className="button hd-next" onClick={reset}>
            Next student
          </button>
        </section>
      ) : null}
    </div>
  );
}
