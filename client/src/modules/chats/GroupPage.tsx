import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { z } from "zod";
import { ChatLimits, type TChatGroup } from "../../../../shared/schemas/chats.js";
import { ApiError, asApiError } from "../../api/client.js";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { chatKeys, chatQueries, chatsApi, formatWhen } from "./api.js";
import { FormPersonPicker } from "./FormPersonPicker.js";
import "./chats.css";

/** The group of `id` among mine: a group I am not in is not found (as the API says). */
export function useGroup(id: string) {
  const groups = useQuery(chatQueries.groups());
  const group = groups.data?.items.find((g) => g.id === id);
  return { groups, group };
}

/** One private group: its threads (newest first), a form to start one, and its members. */
export function GroupPage() {
  const { id = "" } = useParams();
  const { groups, group } = useGroup(id);
  const threads = useQuery(chatQueries.groupMessages(id, null));
  const [isManaging, setIsManaging] = useState(false);
  useDocumentTitle(group ? group.name : null);
  if (groups.isPending || threads.isPending) return <Spinner label="Loading the group…" />;
  // The messages route answers 404 to someone outside the group; so does this page.
  if (threads.isError) return <ErrorState error={asApiError(threads.error)} onRetry={() => void threads.refetch()} />;
  if (groups.isError) return <ErrorState error={asApiError(groups.error)} onRetry={() => void groups.refetch()} />;
  if (!group) return <ErrorState error={new ApiError({ status: 404, code: "not_found", message: "Group not found" })} />;
  return (
    <div className="chats-page">
      <PageHeader title={group.name} description="Only the members below see this group and its threads." breadcrumb={{ to: "/chats/groups", label: "Private groups" }} />
      <div className="chat-group__grid">
        <div className="chat-group__main">
          <section className="panel" aria-labelledby="group-threads">
            <h2 id="group-threads" className="panel__title">
              Threads
            </h2>
            {threads.data.items.length === 0 ? (
              <EmptyState isCompact title="No threads yet">
                Start the first one below: a question for the group, a resource to share, a plan for the next chat.
              </EmptyState>
            ) : (
              <ul className="chat-threads">
                {threads.data.items.map((t) => (
                  <li key={t.id} className="chat-thread-row">
                    <Link to={`/chats/groups/${group.id}/threads/${t.id}`} className="chat-thread-row__title">
                      {t.title}
                    </Link>
                    <span className="chat-muted">
                      {t.author.name} · {formatWhen(t.createdAt)} · {t.replyCount} {t.replyCount === 1 ? "reply" : "replies"}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <NewThread groupId={group.id} />
        </div>
        <section className="panel chat-group__side" aria-labelledby="group-members">
          <h2 id="group-members" className="panel__title">
            Members ({group.members.length})
          </h2>
          {isManaging ? (
            <ManageMembers group={group} onDone={() => setIsManaging(false)} />
          ) : (
            <>
              <ul className="chat-events">
                {group.members.map((m) => (
                  <li key={m.personId}>
                    {m.name} {m.personId === group.createdBy ? <span className="chat-muted">made the group</span> : null}
                  </li>
                ))}
              </ul>
              {group.canManage ? (
                <button type="button" className="button" onClick={() => setIsManaging(true)}>
                  Change members
                </button>
              ) : (
                <p className="chat-muted">The group's creator changes who is in it.</p>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

const ZThreadForm = z.object({
  title: z.string().trim().min(1, "Give the thread a title").max(160),
  body: z.string().trim().min(1, "Write the first message").max(ChatLimits.maxGroupMessage),
});

function NewThread({ groupId }: { groupId: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useZodForm(ZThreadForm, { title: "", body: "" });
  const onSubmit = async (v: z.infer<typeof ZThreadForm>) => {
    const created = await chatsApi.postGroupMessage(groupId, { title: v.title, body: v.body });
    await queryClient.invalidateQueries({ queryKey: chatKeys.groupMessages(groupId, null) });
    form.reset();
    void navigate(`/chats/groups/${groupId}/threads/${created.id}`);
  };
  return (
    <section className="panel" aria-labelledby="group-new-thread">
      <h2 id="group-new-thread" className="panel__title">
        Start a thread
      </h2>
      <Form form={form} onSubmit={onSubmit}>
        <FormTextField name="title" label="Title" autoComplete="off" />
        <FormTextAreaField name="body" label="Message" rows={4} />
        <div className="chat-create__actions">
          <SubmitButton label="Start the thread" pendingLabel="Starting…" />
        </div>
      </Form>
    </section>
  );
}

const ZMembersForm = z.object({ members: z.array(z.object({ id: z.string(), name: z.string() })).max(500) });

function ManageMembers({ group, onDone }: { group: TChatGroup; onDone: () => void }) {
  const queryClient = useQueryClient();
  // The creator always stays (the API keeps them); they are not offered for removal.
  const form = useZodForm(ZMembersForm, { members: group.members.filter((m) => m.personId !== group.createdBy).map((m) => ({ id: m.personId, name: m.name })) });
  const onSubmit = async (v: z.infer<typeof ZMembersForm>) => {
    await chatsApi.setGroupMembers(group.id, v.members.map((m) => m.id));
    await queryClient.invalidateQueries({ queryKey: chatKeys.groups() });
    onDone();
  };
  return (
    <Form form={form} onSubmit={onSubmit} adaptServerIssues={(issues) => issues.map((i) => ({ ...i, path: i.path.replace(/^body\.memberIds/, "body.members") }))}>
      <FormPersonPicker name="members" label="Members besides the creator" hint="Staff in the district. Removing someone hides the group from them at once." />
      <div className="chat-create__actions">
        <SubmitButton label="Save members" pendingLabel="Saving…" />
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
