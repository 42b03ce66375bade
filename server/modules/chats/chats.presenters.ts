import { z } from "zod";
import type { ChatSeriesFacts } from "../../../shared/policy/chats.js";
import { ZQuestionPlanItem, ZRecurrence, type TChatEventSummary, type TChatPost, type TChatQuestion, type TRecurrence } from "../../../shared/schemas/chats.js";
import type { EventRow, ModeratorRow, ParticipantRow, PostRow, QuestionRow, SeriesRow } from "./chats.repository.js";

// Rows → API JSON. Sealed secrets never leave: the API says only whether one is set.

export const ZStoredCrosspost = z.object({
  mastodon: z.object({ instanceUrl: z.string(), tokenSealed: z.string().nullable() }).nullable().default(null),
  bluesky: z.object({ service: z.string(), identifier: z.string(), passwordSealed: z.string().nullable() }).nullable().default(null),
});
export type StoredCrosspost = z.infer<typeof ZStoredCrosspost>;
export const ZStoredWebhooks = z.array(z.object({ id: z.string(), label: z.string(), url: z.string(), secretSealed: z.string().nullable() }));
export type StoredWebhook = z.infer<typeof ZStoredWebhooks>[number];
/** The structured recurrence is kept beside the RFC 5545 text, in the same column as JSON. */
export const ZStoredRule = z.object({ recurrence: ZRecurrence, text: z.string() });

export function recurrenceOf(row: SeriesRow): TRecurrence {
  return ZStoredRule.parse(JSON.parse(row.rrule)).recurrence;
}
export function rruleTextOf(row: SeriesRow): string {
  return ZStoredRule.parse(JSON.parse(row.rrule)).text;
}
export function crosspostOf(row: SeriesRow): StoredCrosspost {
  return ZStoredCrosspost.parse(JSON.parse(row.crosspost));
}
export function webhooksOf(row: SeriesRow): StoredWebhook[] {
  return ZStoredWebhooks.parse(JSON.parse(row.webhooks));
}
export function questionPlanOf(row: SeriesRow) {
  return z.array(ZQuestionPlanItem).parse(JSON.parse(row.question_plan));
}

export function factsOf(row: SeriesRow, moderators: readonly ModeratorRow[]): ChatSeriesFacts {
  return {
    districtId: row.district_id,
    audience: row.audience,
    audienceSchoolIds: z.array(z.string()).parse(JSON.parse(row.audience_school_ids)),
    moderators: moderators.filter((m) => m.series_id === row.id).map((m) => ({ personId: m.person_id, role: m.role })),
  };
}

export function phaseOf(e: Pick<EventRow, "starts_at" | "ends_at" | "status">, now: string, opensBeforeMinutes: number): TChatEventSummary["phase"] {
  if (e.status === "cancelled") return "cancelled";
  if (now >= e.ends_at) return "ended";
  if (now >= e.starts_at) return "live";
  if (new Date(e.starts_at).getTime() - opensBeforeMinutes * 60_000 <= Date.parse(now)) return "open";
  return "upcoming";
}

export function presentEventSummary(e: EventRow, now: string, opensBeforeMinutes: number): TChatEventSummary {
  return { id: e.id, seriesId: e.series_id, title: e.title, startsAt: e.starts_at, endsAt: e.ends_at, phase: phaseOf(e, now, opensBeforeMinutes) };
}

export const questionLabel = (q: Pick<QuestionRow, "number" | "is_closing">): string => (q.is_closing === 1 ? "Closing" : `Q${q.number}`);

export function presentQuestion(q: QuestionRow): TChatQuestion {
  return {
    id: q.id,
    number: q.number,
    label: questionLabel(q),
    isClosing: q.is_closing === 1,
    text: q.text,
    offsetMinutes: q.offset_minutes,
    postAt: q.post_at,
    postedAt: q.posted_at,
    postId: q.post_id,
  };
}

/**
 * A post as a viewer sees it. Removed posts lose their text for everyone; hidden ones for all but
 * moderators. `questions` give A<n>/Q<n> labels.
 */
export function presentPost(
  p: PostRow,
  opts: { author: ParticipantRow | undefined; moderatorPersonIds: ReadonlySet<string>; questions: ReadonlyMap<string, QuestionRow>; isModeratorView: boolean; likedByMe: boolean },
): TChatPost {
  const q = p.question_id ? opts.questions.get(p.question_id) : undefined;
  const label = q ? (p.kind === "question" ? questionLabel(q) : p.kind === "answer" ? (q.is_closing === 1 ? "Closing" : `A${q.number}`) : null) : null;
  const isShown = p.status === "visible" || (p.status === "hidden" && opts.isModeratorView);
  const personId = opts.author?.person_id ?? null;
  return {
    id: p.id,
    seq: p.seq,
    changedSeq: p.changed_seq,
    kind: p.kind,
    label,
    questionId: p.question_id,
    parentId: p.parent_id,
    author: {
      participantId: p.participant_id,
      name: opts.author?.display_name ?? "Someone",
      isModerator: personId !== null && opts.moderatorPersonIds.has(personId),
      isGuest: opts.author !== undefined && personId === null,
    },
    body: isShown ? p.body : "",
    status: p.status,
    likeCount: p.like_count,
    likedByMe: opts.likedByMe,
    createdAt: p.created_at,
  };
}
