import { Link } from "react-router-dom";
import { deskStaffSchools, isDeskMember, reportSchools, studentDeskSchools } from "../../../../shared/policy/helpdesk.js";
import { isDistrictAdmin } from "../../../../shared/policy/actor.js";
import { PRIORITY_LABELS, TICKET_STATUS_LABELS, type TTicketSummary } from "../../../../shared/schemas/helpdesk.js";
import type { TMe } from "../../../../shared/schemas/auth.js";
import { TabNav } from "../../components/Tabs.js";

/** What the person does at the desk, from the same rules the server applies. */
export function deskRole(me: TMe) {
  const staff = deskStaffSchools(me.person);
  const students = studentDeskSchools(me.person);
  const reports = reportSchools(me.person);
  return {
    isStaff: staff === "all" || staff.length > 0,
    isAssistant: students === "all" || students.length > 0,
    isDesk: isDeskMember(me.person),
    seesReports: reports === "all" || reports.length > 0,
    isAdmin: isDistrictAdmin(me.person),
  };
}

export function HelpdeskTabs({ me }: { me: TMe }) {
  const role = deskRole(me);
  const tabs = [{ to: "/helpdesk/mine", label: "My tickets" }];
  if (role.isDesk) tabs.push({ to: "/helpdesk/queue", label: "Queue" }, { to: "/helpdesk/kiosk", label: "Kiosk" });
  if (role.seesReports) tabs.push({ to: "/helpdesk/punch-list", label: "Punch list" });
  if (role.seesReports || role.isAssistant) tabs.push({ to: "/helpdesk/reports", label: role.seesReports ? "Reports" : "My scores" });
  if (role.isAdmin) tabs.push({ to: "/helpdesk/settings", label: "Settings" });
  return tabs.length > 1 ? <TabNav label="Help desk" tabs={tabs} /> : null;
}

export function StatusBadge({ status }: { status: TTicketSummary["status"] }) {
  return <span className={`hd-status hd-status--${status}`}>{TICKET_STATUS_LABELS[status]}</span>;
}

export function PriorityBadge({ priority }: { priority: TTicketSummary["priority"] }) {
  if (priority === "normal") return null;
  return <span className={`hd-priority hd-priority--${priority}`}>{PRIORITY_LABELS[priority]}</span>;
}

export function SlaFlag({ t }: { t: Pick<TTicketSummary, "sla" | "status"> }) {
  const open = t.status !== "resolved" && t.status !== "closed";
  if (t.sla.responseBreached && (open || t.sla.responseBreached)) {
    if (!open && !t.sla.resolutionBreached) return null;
  }
  if (t.sla.resolutionBreached && open) return <span className="hd-sla">Overdue</span>;
  if (t.sla.responseBreached && open) return <span className="hd-sla">No answer in time</span>;
  return null;
}

export function TicketLink({ t }: { t: Pick<TTicketSummary, "id" | "title"> }) {
  return <Link to={`/helpdesk/tickets/${encodeURIComponent(t.id)}`}>{t.title}</Link>;
}

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "—");
export const minutes = (m: number | null) => (m === null ? "—" : m < 60 ? `${Math.round(m)} min` : m < 48 * 60 ? `${(m / 60).toFixed(1)} h` : `${(m / 1440).toFixed(1)} days`);
