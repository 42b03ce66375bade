import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { PageHeader, Spinner } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskQueries } from "./api.js";
import { TicketForm } from "./TicketForm.js";

/** Ask for help: the ticket form, for students and staff. */
export function NewTicketPage() {
  useDocumentTitle("Ask for help");
  const me = useMe();
  const navigate = useNavigate();
  const schools = useQuery(helpdeskQueries.schools());
  const districtWide = me.person.roles.some((r) => r.schoolId === null);
  const mine = (schools.data?.items ?? []).filter((s) => districtWide || me.person.roles.some((r) => r.schoolId === s.id)).map((s) => ({ id: s.id, name: s.name }));
  const fallback = me.person.roles.flatMap((r) => (r.schoolId ? [{ id: r.schoolId, name: r.schoolName ?? "Your school" }] : []));
  const options = mine.length ? mine : fallback;
  return (
    <div className="hd-narrow">
      <PageHeader title="Ask for help" breadcrumb={{ to: "/helpdesk", label: "Help desk" }} description="The help desk answers in the order requests arrive. You will get an email when it is fixed." />
      {schools.isLoading && !districtWide && fallback.length === 0 ? (
        <Spinner label="Loading…" />
      ) : (
        <section className="panel">
          <TicketForm schools={options} onFiled={(t) => void navigate(`/helpdesk/tickets/${encodeURIComponent(t.id)}`)} />
        </section>
      )}
    </div>
  );
}
