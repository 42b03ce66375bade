import { canModerateSeries } from "../../../shared/policy/chats.js";
import { ChatLimits, type TChatAnalytics, type TChatPost, type TTranscript } from "../../../shared/schemas/chats.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { forbidden, notFound } from "../../errors.js";
import { nowIso } from "../../lib.js";
import { csvText } from "../../platform/csv.js";
import type { Writer } from "../../platform/writes.js";
import { recordAudit } from "../audit/api.js";
import { staffByIds } from "../people/api.js";
import { schoolsOfDistrict } from "../schools/api.js";
import * as repo from "./chats.repository.js";
import { presentEventSummary, presentPost, presentQuestion, questionLabel } from "./chats.presenters.js";
import { loadEvent, loadSeries, type LoadedSeries } from "./chats.service.js";
import { assertCanModerate, assertCanSee } from "./policy.js";

// After the chat: the transcript grouped by question (a page to share, a CSV), and participation
// across a series' events: participants, posts per question, new vs returning, and for district
// staff, by school and by school level (elementary, middle, high).

async function buildTranscript(ctx: Ctx, event: repo.EventRow, series: LoadedSeries, isModeratorView: boolean): Promise<TTranscript> {
  const questions = await repo.questionsOf(ctx.db, [event.id]);
  const posts = (await repo.postsOfEvents(ctx.db, [event.id])).filter((p) => p.status === "visible" || (isModeratorView && p.status === "hidden"));
  const authors = new Map((await repo.participantsByIds(ctx.db, posts.map((p) => p.participant_id))).map((p) => [p.id, p]));
  const byId = new Map(questions.map((q) => [q.id, q]));
  const moderatorPersonIds = new Set(series.facts.moderators.map((m) => m.personId));
  const present = (p: repo.PostRow): TChatPost => presentPost(p, { author: authors.get(p.participant_id), moderatorPersonIds, questions: byId, isModeratorView, likedByMe: false });
  const repliesOf = (id: string) => posts.filter((p) => p.parent_id === id).map(present);
  return {
    event: { ...presentEventSummary(event, nowIso(), ChatLimits.opensBeforeMinutes), seriesName: series.row.name, hashtag: series.row.hashtag, publicSeriesId: series.row.audience === "public" ? series.row.id : null },
    opening: posts.filter((p) => p.question_id === null && p.parent_id === null).map(present),
    questions: questions
      .filter((q) => q.post_id !== null)
      .map((q) => ({
        question: presentQuestion(q),
        answers: posts.filter((p) => p.question_id === q.id && p.kind === "answer").map((p) => ({ ...present(p), replies: repliesOf(p.id) })),
      })),
  };
}

/** The transcript of an event for someone who may see the series. */
export async function transcript(ctx: Ctx, actor: Actor, eventId: string): Promise<TTranscript> {
  const { event, series } = await loadEvent(ctx.db, eventId, actor.districtId);
  assertCanSee(actor, series.facts);
  return buildTranscript(ctx, event, series, canModerateSeries(actor, series.facts));
}

/** The shareable page of a public series' event: anyone with the link, once the chat has ended. */
export async function publicTranscript(ctx: Ctx, eventId: string): Promise<TTranscript> {
  const event = await repo.findEvent(ctx.db, eventId);
  if (!event) throw notFound("Chat");
  const series = await loadSeries(ctx.db, event.series_id, null);
  if (series.row.audience !== "public") throw notFound("Chat");
  if (event.ends_at > nowIso()) throw forbidden("The transcript is shared once the chat has ended");
  return buildTranscript(ctx, event, series, false);
}

/** The transcript as CSV, one row per post, grouped by question (audited: it leaves the system). */
export async function transcriptCsv(ctx: Ctx, who: Writer, eventId: string): Promise<{ filename: string; csv: string }> {
  const t = await transcript(ctx, who.actor, eventId);
  const rows: string[][] = [];
  const row = (section: string, p: TChatPost, replyTo = "") => rows.push([section, p.label ?? (p.kind === "reply" ? "reply" : p.kind), replyTo, p.author.name, p.author.isGuest ? "guest" : "district", p.body, String(p.likeCount), p.createdAt]);
  for (const p of t.opening) row("Opening", p);
  for (const q of t.questions) {
    rows.push([q.question.label, "question", "", "", "", q.question.text, "", q.question.postedAt ?? ""]);
    for (const a of q.answers) {
      row(q.question.label, a);
      for (const r of a.replies) row(q.question.label, r, a.author.name);
    }
  }
  await recordAudit(ctx.db, who, { action: "chats.transcript.export", subjectType: "chat_event", subjectId: eventId, details: { rows: rows.length } });
  return {
    filename: `${t.event.hashtag.replace("#", "")}-${t.event.startsAt.slice(0, 10)}.csv`,
    csv: csvText(rows, ["Section", "Label", "Reply to", "Author", "Participant", "Text", "Likes", "Time"]),
  };
}

/** Participation across a series' ended and running events (moderators and district admins). */
export async function analytics(ctx: Ctx, actor: Actor, seriesId: string): Promise<TChatAnalytics> {
  const series = await loadSeries(ctx.db, seriesId, actor.districtId);
  assertCanModerate(actor, series.facts);
  const now = nowIso();
  const events = (await repo.eventsOfSeries(ctx.db, seriesId, { limit: 200 })).filter((e) => e.starts_at <= now);
  const posts = await repo.postsOfEvents(ctx.db, events.map((e) => e.id));
  const questions = await repo.questionsOf(ctx.db, events.map((e) => e.id));
  const participants = new Map((await repo.participantsByIds(ctx.db, posts.map((p) => p.participant_id))).map((p) => [p.id, p]));
  const moderatorIds = new Set(series.facts.moderators.map((m) => m.personId));
  // Participation is posting an answer, a reply or a comment; the hosts' questions and welcome do not count.
  const isParticipation = (p: repo.PostRow) => p.kind === "answer" || p.kind === "reply" || p.kind === "comment";
  const personIds = [...new Set([...participants.values()].flatMap((p) => (p.person_id && !moderatorIds.has(p.person_id) ? [p.person_id] : [])))];
  const grants = await staffByIds(ctx.db, series.row.district_id, personIds);
  const schools = new Map((await schoolsOfDistrict(ctx.db, series.row.district_id)).map((s) => [s.id, s]));
  const schoolsOfPerson = new Map<string, Set<string>>();
  for (const g of grants) {
    if (!g.school_id) continue;
    const set = schoolsOfPerson.get(g.id) ?? new Set<string>();
    set.add(g.school_id);
    schoolsOfPerson.set(g.id, set);
  }
  const levelsOf = (personId: string): string[] => [...new Set([...(schoolsOfPerson.get(personId) ?? [])].map((id) => schools.get(id)?.level ?? "other"))];
  const seen = new Set<string>();
  const schoolParticipants = new Map<string, { people: Set<string>; events: Set<string> }>();
  const levelParticipants = new Map<string, Set<string>>();
  const result: TChatAnalytics["events"] = [];
  for (const e of events.sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
    const ePosts = posts.filter((p) => p.event_id === e.id && p.status !== "removed" && isParticipation(p));
    const ids = new Set(ePosts.map((p) => p.participant_id).filter((id) => {
      const person = participants.get(id)?.person_id;
      return !(person && moderatorIds.has(person));
    }));
    let fresh = 0;
    let guests = 0;
    const byLevel: Record<string, number> = {};
    for (const id of ids) {
      if (!seen.has(id)) fresh++;
      seen.add(id);
      const p = participants.get(id);
      if (!p?.person_id) {
        guests++;
        continue;
      }
      for (const level of levelsOf(p.person_id)) {
        byLevel[level] = (byLevel[level] ?? 0) + 1;
        const set = levelParticipants.get(level) ?? new Set<string>();
        set.add(p.person_id);
        levelParticipants.set(level, set);
      }
      for (const schoolId of schoolsOfPerson.get(p.person_id) ?? []) {
        const entry = schoolParticipants.get(schoolId) ?? { people: new Set(), events: new Set() };
        entry.people.add(p.person_id);
        entry.events.add(e.id);
        schoolParticipants.set(schoolId, entry);
      }
    }
    const eQuestions = questions.filter((q) => q.event_id === e.id && q.post_id !== null);
    result.push({
      eventId: e.id,
      startsAt: e.starts_at,
      participants: ids.size,
      newParticipants: fresh,
      returningParticipants: ids.size - fresh,
      guests,
      posts: ePosts.length,
      postsPerQuestion: eQuestions.map((q) => ({ label: questionLabel(q), posts: ePosts.filter((p) => p.question_id === q.id).length })),
      byLevel,
    });
  }
  return {
    events: result.reverse(),
    bySchool: [...schoolParticipants.entries()]
      .map(([schoolId, v]) => ({ schoolId, schoolName: schools.get(schoolId)?.name ?? "Unknown school", level: schools.get(schoolId)?.level ?? "other", participants: v.people.size, events: v.events.size }))
      .sort((a, b) => b.participants - a.participants || a.schoolName.localeCompare(b.schoolName)),
    byLevel: ["elementary", "middle", "high", "other"].map((level) => ({ level, participants: levelParticipants.get(level)?.size ?? 0 })),
  };
}
