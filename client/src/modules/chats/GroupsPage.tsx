import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { canHostChats } from "../../../../shared/policy/chats.js";
import { asApiError } from "../../api/client.js";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useMe } from "../../lib/session.js";
import { chatKeys, chatQueries, chatsApi } from "./api.js";
import { FormPersonPicker } from "./FormPersonPicker.js";
import "./chats.css";

/** The private groups I belong to (members-only threads between chats), and a form to make one. */
export function GroupsPage() {
  const me = useMe();
  const groups = useQuery(chatQueries.groups());
  const series = useQuery(chatQueries.series());
  const [isCreating, setIsCreating] = useState(false);
  const manageable = (series.data?.items ?? []).filter((s) => s.abilities.canManage);
  // Coaches make groups on their own; any series' moderators make one for their series.
  const canCreate = canHostChats({ roles: me.person.roles }) || manageable.length > 0;
  const seriesName = new Map((series.data?.items ?? []).map((s) => [s.id, `${s.name} ${s.hashtag}`]));
  return (
    <div className="chats-page">
      <PageHeader
        title="Private groups"
        description="Members-only spaces for talking between chats: threads with replies, seen only by the people in the group."
        breadcrumb={{ to: "/chats", label: "Community chats" }}
        actions={
          canCreate && !isCreating ? (
            <button type="button" className="button button--primary" onClick={() => setIsCreating(true)}>
              Make a group
            </button>
          ) : null
        }
      />
      {isCreating ? <CreateGroup series={manageable} canStandAlone={canHostChats({ roles: me.person.roles })} onDone={() => setIsCreating(false)} /> : null}
      {groups.isPending ? <Spinner label="Loading groups…" /> : groups.isError ? <ErrorState error={asApiError(groups.error)} onRetry={() => void groups.refetch()} /> : null}
      {groups.data && groups.data.items.length === 0 ? (
        <EmptyState title="No groups yet">{canCreate ? "Make a group and add the people you want to keep talking with between chats." : "When someone adds you to a private group, it shows here."}</EmptyState>
      ) : null}
      <ul className="chat-cards">
        {groups.data?.items.map((g) => (
          <li key={g.id} className="panel chat-card">
            <div className="chat-card__head">
              <Link to={`/chats/groups/${g.id}`} className="chat-card__title">
                {g.name}
              </Link>
              {g.seriesId && seriesName.has(g.seriesId) ? <span className="chat-tag">{seriesName.get(g.seriesId)}</span> : null}
            </div>
            <p className="chat-card__meta">
              {g.members.length} {g.members.length === 1 ? "member" : "members"}: {g.members.slice(0, 4).map((m) => m.name).join(", ")}
              {g.members.length > 4 ? ` and ${g.members.length - 4} more` : ""}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

const ZGroupForm = z.object({
  name: z.string().trim().min(1, "Name the group").max(120),
  seriesId: z.string(),
  members: z.array(z.object({ id: z.string(), name: z.string() })).max(500),
});
type GroupForm = z.infer<typeof ZGroupForm>;

function CreateGroup({ series, canStandAlone, onDone }: { series: { id: string; name: string; hashtag: string }[]; canStandAlone: boolean; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useZodForm(ZGroupForm, { name: "", seriesId: canStandAlone ? "" : (series[0]?.id ?? ""), members: [] });
  const onSubmit = async (v: GroupForm) => {
    const created = await chatsApi.createGroup({ name: v.name, seriesId: v.seriesId || null, memberIds: v.members.map((m) => m.id) });
    await queryClient.invalidateQueries({ queryKey: chatKeys.groups() });
    onDone();
    void navigate(`/chats/groups/${created.id}`);
  };
  return (
    <section className="panel chat-create" aria-labelledby="group-create-title">
      <h2 id="group-create-title" className="panel__title">
        Make a private group
      </h2>
      <Form form={form} onSubmit={onSubmit} adaptServerIssues={(issues) => issues.map((i) => ({ ...i, path: i.path.replace(/^body\.memberIds/, "body.members") }))}>
        <div className="chat-create__grid">
          <FormTextField name="name" label="Name" placeholder="#iiCHAT between chats" autoComplete="off" />
          <FormSelectField
            name="seriesId"
            label="For a chat series"
            hint="Only the series' moderators can tie a group to it."
            options={[...(canStandAlone ? [{ value: "", label: "No series: a group of its own" }] : []), ...series.map((s) => ({ value: s.id, label: `${s.name} ${s.hashtag}` }))]}
          />
        </div>
        <FormPersonPicker name="members" label="Members" hint="Staff in the district. You are a member too, and you can change the list later." isOptional />
        <div className="chat-create__actions">
          <SubmitButton label="Make the group" pendingLabel="Making…" />
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </Form>
    </section>
  );
}
