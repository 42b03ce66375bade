import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "react-router-dom";
import { z } from "zod";
import { ChatLimits } from "../../../../shared/schemas/chats.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormTextAreaField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { chatKeys, chatQueries, chatsApi, formatWhen } from "./api.js";
import { PostText } from "./PostText.js";
import "./chats.css";

/** One thread of a private group: its first message, the replies (oldest first) and a reply box. */
export function GroupThreadPage() {
  const { id = "", threadId = "" } = useParams();
  const messages = useQuery(chatQueries.groupMessages(id, threadId));
  const groups = useQuery(chatQueries.groups());
  const group = groups.data?.items.find((g) => g.id === id);
  const [first, ...replies] = messages.data?.items ?? [];
  useDocumentTitle(first?.title ?? null);
  if (messages.isPending) return <Spinner label="Loading the thread…" />;
  // Someone outside the group (or a thread of another group) gets the API's 404: "Not found".
  if (messages.isError) return <ErrorState error={asApiError(messages.error)} onRetry={() => void messages.refetch()} />;
  if (!first) return null;
  return (
    <div className="chats-page">
      <PageHeader title={first.title ?? "Thread"} breadcrumb={{ to: `/chats/groups/${id}`, label: group?.name ?? "The group" }} />
      <ol className="chat-group-messages" aria-label="Messages">
        {[first, ...replies].map((m) => (
          <li key={m.id} className={`chat-post${m.id === first.id ? " chat-post--question" : ""}`}>
            <div className="chat-post__meta">
              <strong>{m.author.name}</strong>
              <span className="chat-muted">{formatWhen(m.createdAt)}</span>
            </div>
            <PostText text={m.body} />
          </li>
        ))}
      </ol>
      {replies.length === 0 ? <p className="chat-muted">No replies yet.</p> : null}
      <p className="chat-muted">New replies show up when you come back to this tab, and every 20 seconds.</p>
      <Reply groupId={id} threadId={first.id} />
    </div>
  );
}

const ZReplyForm = z.object({ body: z.string().trim().min(1, "Write a reply").max(ChatLimits.maxGroupMessage) });

function Reply({ groupId, threadId }: { groupId: string; threadId: string }) {
  const queryClient = useQueryClient();
  const form = useZodForm(ZReplyForm, { body: "" });
  const onSubmit = async (v: z.infer<typeof ZReplyForm>) => {
    await chatsApi.postGroupMessage(groupId, { threadId, body: v.body });
    form.reset();
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: chatKeys.groupMessages(groupId, threadId) }),
      queryClient.invalidateQueries({ queryKey: chatKeys.groupMessages(groupId, null) }),
    ]);
  };
  return (
    <section className="panel" aria-labelledby="thread-reply">
      <h2 id="thread-reply" className="panel__title">
        Reply
      </h2>
      <Form form={form} onSubmit={onSubmit}>
        <FormTextAreaField name="body" label="Your reply" rows={3} />
        <div className="chat-create__actions">
          <SubmitButton label="Post reply" pendingLabel="Posting…" />
        </div>
      </Form>
    </section>
  );
}
