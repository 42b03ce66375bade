import type { Kysely } from "kysely";
import { canManageSeries, canModerateSeries, canSeeSeries, type ChatSeriesFacts } from "../../../shared/policy/chats.js";
import {
  ChatLimits,
  type TChatEvent,
  type TChatEventSummary,
  type TChatQuestion,
  type TChatSeries,
  type TCreateSeriesRequest,
  type TUpdateSeriesRequest,
  ZCreateSeriesRequest,
  ZUpdateSeriesRequest,
} from "../../../shared/schemas/chats.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { newId, nowIso, randomToken } from "../../lib.js";
import { enqueueJob, nudgeJobWorkers } from "../../platform/jobs.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import { namesByIds, displayName, staffByIds } from "../people/api.js";
import { schoolIdsInDistrict } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import * as repo from "./chats.repository.js";
import {
  crosspostOf,
  factsOf,
  presentEventSummary,
  presentQuestion,
  questionLabel,
  questionPlanOf,
  recurrenceOf,
  rruleTextOf,
  webhooksOf,
  type StoredCrosspost,
  type StoredWebhook,
} from "./chats.presenters.js";
import { assertCanHost, assertCanManage, assertCanModerate, assertCanSee } from "./policy.js";
import { dayOfReminderAt, occurrences, rruleText } from "./recurrence.js";
import { assertPublicUrl } from "./outbound.js";
import { seal } from "./secrets.js";

// Series, their events (materialised from the recurrence rule) and each event's questions.

export const ChatJobs = {
  postQuestion: "chats.postQuestion",
  openRoom: "chats.openRoom",
  remind: "chats.remind",
  webhook: "chats.webhook",
  crosspost: "chats.crosspost",
} as const;

export type LoadedSeries = { row: repo.SeriesRow; facts: ChatSeriesFacts };

/** A series with its moderators; 404 when it is not in the actor's district. */
export async function loadSeries(db: Kysely<DB>, id: string, districtId: string | null): Promise<LoadedSeries> {
  // Both at once (one wait instead of two): the moderators of a series in another district are read and dropped.
  const [row, moderators] = await Promise.all([repo.findSeries(db, id), repo.moderatorsOf(db, [id])]);
  if (!row || (districtId !== null && row.district_id !== districtId)) throw notFound("Chat series");
  return { row, facts: factsOf(row, moderators) };
}

/** An event with its series; 404 when it is not in the district. */
export async function loadEvent(db: Kysely<DB>, id: string, districtId: string | null): Promise<{ event: repo.EventRow; series: LoadedSeries }> {
  // The three at once, the series and its moderators found through the event: one wait, not two.
  const [event, row, moderators] = await Promise.all([repo.findEvent(db, id), repo.seriesOfEvent(db, id), repo.moderatorsOfEvent(db, id)]);
  if (!event || !row || (districtId !== null && event.district_id !== districtId)) throw notFound("Chat event");
  return { event, series: { row, facts: factsOf(row, moderators) } };
}

async function presentSeries(ctx: Ctx, actor: Actor, rows: repo.SeriesRow[]): Promise<TChatSeries[]> {
  const mods = await repo.moderatorsOf(ctx.db, rows.map((r) => r.id));
  const names = await namesByIds(ctx.db, mods.map((m) => m.person_id));
  const now = nowIso();
  const next = await repo.nextEvents(ctx.db, rows.map((r) => r.id), now);
  return rows.map((row) => {
    const facts = factsOf(row, mods);
    const crosspost = crosspostOf(row);
    const nextEvent = next.get(row.id);
    return {
      id: row.id,
      name: row.name,
      hashtag: row.hashtag,
      description: row.description,
      audience: row.audience,
      audienceSchoolIds: facts.audienceSchoolIds as string[],
      recurrence: recurrenceOf(row),
      rrule: rruleTextOf(row),
      durationMinutes: row.duration_minutes,
      moderators: facts.moderators.map((m) => ({ personId: m.personId, role: m.role, name: displayName(names, m.personId) })),
      welcomeText: row.welcome_text,
      guideText: row.guide_text,
      questionPlan: questionPlanOf(row),
      reminderEmail: row.reminder_email === 1,
      webhooks: webhooksOf(row).map((w) => ({ id: w.id, label: w.label, url: w.url, hasSecret: w.secretSealed !== null })),
      crosspost: {
        mastodon: crosspost.mastodon ? { instanceUrl: crosspost.mastodon.instanceUrl, hasToken: crosspost.mastodon.tokenSealed !== null } : null,
        bluesky: crosspost.bluesky ? { service: crosspost.bluesky.service, identifier: crosspost.bluesky.identifier, hasPassword: crosspost.bluesky.passwordSealed !== null } : null,
      },
      calendarUrl: `/api/v1/chats/calendar/${row.calendar_token}.ics`,
      nextEvent: nextEvent ? presentEventSummary(nextEvent, now, ChatLimits.opensBeforeMinutes) : null,
      isArchived: row.archived_at !== null,
      abilities: { canManage: canManageSeries(actor, facts), canModerate: canModerateSeries(actor, facts), canPost: canSeeSeries(actor, facts) },
      createdAt: row.created_at,
    };
  });
}

/** Checks named people are active staff of the district (moderators must be). */
async function checkStaff(ctx: Ctx, districtId: string, ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await staffByIds(ctx.db, districtId, ids)).map((r) => r.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw fieldError(`${field}.${missing}`, "is not active staff in this district");
}

async function checkSchools(ctx: Ctx, districtId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const known = new Set(await schoolIdsInDistrict(ctx.db, districtId));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0) throw fieldError(`body.audienceSchoolIds.${missing}`, "is not a school of this district");
}

function sealWebhooks(ctx: Ctx, seriesId: string, input: NonNullable<TUpdateSeriesRequest["webhooks"]>, previous: StoredWebhook[]): StoredWebhook[] {
  return input.map((w) => {
    // The same webhook: named by its id (its address may have changed), or else by its address.
    const kept = (w.id ? previous.find((p) => p.id === w.id) : undefined) ?? previous.find((p) => p.url === w.url);
    const secretSealed = w.secret === null ? null : w.secret ? seal(ctx.config.secret, w.secret, seriesId) : (kept?.secretSealed ?? null);
    return { id: kept?.id ?? newId(), label: w.label, url: w.url, secretSealed };
  });
}

function sealCrosspost(ctx: Ctx, seriesId: string, input: NonNullable<TUpdateSeriesRequest["crosspost"]>, previous: StoredCrosspost): StoredCrosspost {
  const next: StoredCrosspost = { ...previous };
  if (input.mastodon === null) next.mastodon = null;
  else if (input.mastodon) {
    next.mastodon = {
      instanceUrl: input.mastodon.instanceUrl,
      tokenSealed: input.mastodon.accessToken ? seal(ctx.config.secret, input.mastodon.accessToken, seriesId) : (previous.mastodon?.tokenSealed ?? null),
    };
  }
  if (input.bluesky === null) next.bluesky = null;
  else if (input.bluesky) {
    next.bluesky = {
      service: input.bluesky.service,
      identifier: input.bluesky.identifier,
      passwordSealed: input.bluesky.appPassword ? seal(ctx.config.secret, input.bluesky.appPassword, seriesId) : (previous.bluesky?.passwordSealed ?? null),
    };
  }
  return next;
}

function moderatorList(creatorId: string | null, moderatorIds: readonly string[], coModeratorIds: readonly string[]) {
  const list: { personId: string; role: "moderator" | "co_moderator" }[] = [];
  for (const id of [...(creatorId ? [creatorId] : []), ...moderatorIds]) if (!list.some((m) => m.personId === id)) list.push({ personId: id, role: "moderator" });
  for (const id of coModeratorIds) if (!list.some((m) => m.personId === id)) list.push({ personId: id, role: "co_moderator" });
  return list;
}

/**
 * Webhook and cross-posting addresses are refused on private, loopback and link-local addresses
 * unless the district allows them (checked again after DNS resolution when sending).
 */
async function checkOutboundUrls(ctx: Ctx, districtId: string, body: Pick<TUpdateSeriesRequest, "webhooks" | "crosspost">): Promise<void> {
  if (!body.webhooks?.length && !body.crosspost?.mastodon && !body.crosspost?.bluesky) return;
  const policy = { allowPrivate: (await loadDistrictSettings(ctx.db, districtId)).allowPrivateChatWebhooks };
  for (const [i, w] of (body.webhooks ?? []).entries()) await assertPublicUrl(policy, w.url, `body.webhooks.${i}.url`);
  if (body.crosspost?.mastodon) await assertPublicUrl(policy, body.crosspost.mastodon.instanceUrl, "body.crosspost.mastodon.instanceUrl");
  if (body.crosspost?.bluesky) await assertPublicUrl(policy, body.crosspost.bluesky.service, "body.crosspost.bluesky.service");
}

/** Creates a series (the creator is its first moderator) and its next events. */
export async function createSeries(ctx: Ctx, who: Writer, input: TCreateSeriesRequest): Promise<TChatSeries> {
  assertCanHost(who.actor);
  const body = ZCreateSeriesRequest.parse(input);
  const districtId = who.actor.districtId;
  await checkStaff(ctx, districtId, body.moderatorIds, "body.moderatorIds");
  await checkStaff(ctx, districtId, body.coModeratorIds, "body.coModeratorIds");
  if (body.audience === "schools" && body.audienceSchoolIds.length === 0) throw fieldError("body.audienceSchoolIds", "name at least one school for a schools-only chat");
  await checkSchools(ctx, districtId, body.audienceSchoolIds);
  await checkOutboundUrls(ctx, districtId, body);
  const id = newId();
  const now = nowIso();
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.insertSeries(trx, {
        id,
        district_id: districtId,
        name: body.name,
        hashtag: body.hashtag,
        description: body.description,
        audience: body.audience,
        audience_school_ids: JSON.stringify(body.audience === "schools" ? body.audienceSchoolIds : []),
        rrule: JSON.stringify({ recurrence: body.recurrence, text: rruleText(body.recurrence) }),
        time_zone: body.recurrence.timeZone,
        duration_minutes: body.durationMinutes,
        welcome_text: body.welcomeText,
        guide_text: body.guideText,
        question_plan: JSON.stringify(body.questionPlan),
        reminder_email: body.reminderEmail ? 1 : 0,
        crosspost: JSON.stringify(sealCrosspost(ctx, id, body.crosspost, { mastodon: null, bluesky: null })),
        webhooks: JSON.stringify(sealWebhooks(ctx, id, body.webhooks, [])),
        calendar_token: randomToken(24),
        created_by: who.actor.personId,
        archived_at: null,
        created_at: now,
        updated_at: now,
      });
      await repo.replaceModerators(trx, id, moderatorList(who.actor.personId, body.moderatorIds, body.coModeratorIds), now);
      const row = await repo.findSeries(trx, id);
      if (row) await materialise(ctx, trx, row, new Date());
    },
    () => ({ action: "chats.series.create", subjectType: "chat_series", subjectId: id, details: { name: body.name, audience: body.audience } }),
  );
  nudgeJobWorkers();
  return getSeries(ctx, who.actor, id);
}

/** Changes a series; removing a moderator takes their powers away at their next request. */
export async function updateSeries(ctx: Ctx, who: Writer, id: string, input: TUpdateSeriesRequest): Promise<TChatSeries> {
  const body = ZUpdateSeriesRequest.parse(input);
  const { row, facts } = await loadSeries(ctx.db, id, who.actor.districtId);
  assertCanManage(who.actor, facts);
  const districtId = row.district_id;
  if (body.moderatorIds) await checkStaff(ctx, districtId, body.moderatorIds, "body.moderatorIds");
  if (body.coModeratorIds) await checkStaff(ctx, districtId, body.coModeratorIds, "body.coModeratorIds");
  if (body.audienceSchoolIds) await checkSchools(ctx, districtId, body.audienceSchoolIds);
  await checkOutboundUrls(ctx, districtId, body);
  const audience = body.audience ?? row.audience;
  const schoolIds = body.audienceSchoolIds ?? facts.audienceSchoolIds;
  if (audience === "schools" && schoolIds.length === 0) throw fieldError("body.audienceSchoolIds", "name at least one school for a schools-only chat");
  const now = nowIso();
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.updateSeries(trx, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.hashtag !== undefined ? { hashtag: body.hashtag } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        audience,
        audience_school_ids: JSON.stringify(audience === "schools" ? schoolIds : []),
        ...(body.recurrence !== undefined ? { rrule: JSON.stringify({ recurrence: body.recurrence, text: rruleText(body.recurrence) }), time_zone: body.recurrence.timeZone } : {}),
        ...(body.durationMinutes !== undefined ? { duration_minutes: body.durationMinutes } : {}),
        ...(body.welcomeText !== undefined ? { welcome_text: body.welcomeText } : {}),
        ...(body.guideText !== undefined ? { guide_text: body.guideText } : {}),
        ...(body.questionPlan !== undefined ? { question_plan: JSON.stringify(body.questionPlan) } : {}),
        ...(body.reminderEmail !== undefined ? { reminder_email: body.reminderEmail ? 1 : 0 } : {}),
        ...(body.webhooks !== undefined ? { webhooks: JSON.stringify(sealWebhooks(ctx, id, body.webhooks, webhooksOf(row))) } : {}),
        ...(body.crosspost !== undefined ? { crosspost: JSON.stringify(sealCrosspost(ctx, id, body.crosspost, crosspostOf(row))) } : {}),
        ...(body.isArchived !== undefined ? { archived_at: body.isArchived ? (row.archived_at ?? now) : null } : {}),
        updated_at: now,
      });
      if (body.moderatorIds || body.coModeratorIds) {
        const current = facts.moderators;
        const moderatorIds = body.moderatorIds ?? current.filter((m) => m.role === "moderator").map((m) => m.personId);
        const coIds = body.coModeratorIds ?? current.filter((m) => m.role === "co_moderator").map((m) => m.personId);
        const list = moderatorList(null, moderatorIds, coIds);
        if (!list.some((m) => m.role === "moderator")) throw fieldError("body.moderatorIds", "a chat needs at least one moderator");
        await repo.replaceModerators(trx, id, list, now);
      }
      if (body.recurrence !== undefined || body.durationMinutes !== undefined) {
        const fresh = await repo.findSeries(trx, id);
        if (fresh) await reschedule(ctx, trx, fresh, new Date());
      }
    },
    () => ({ action: "chats.series.update", subjectType: "chat_series", subjectId: id, details: { fields: Object.keys(body) } }),
  );
  nudgeJobWorkers();
  return getSeries(ctx, who.actor, id);
}

/**
 * After a new schedule or length: each event not yet open (no welcome, no posts) keeps its place
 * if the new rule still has its start (back on if an earlier change cancelled it, with the new
 * length), and is cancelled if not (its jobs then find it cancelled and do nothing); then the
 * rule's next events are made. Open, running and past events are left as they are.
 */
async function reschedule(ctx: Ctx, trx: Kysely<DB>, row: repo.SeriesRow, now: Date): Promise<void> {
  await lockFor(trx, ctx.dialect, `chats.series:${row.id}`);
  const starts = new Set(occurrences(recurrenceOf(row), now, new Date(now.getTime() + 400 * 86_400_000), ChatLimits.eventsAhead).map((d) => d.getTime()));
  const notOpenBefore = new Date(now.getTime() + ChatLimits.opensBeforeMinutes * 60_000).toISOString();
  const events = await repo.eventsOfSeries(trx, row.id, { endsAfter: now.toISOString(), limit: 200 });
  for (const event of events) {
    if (event.starts_at <= notOpenBefore || event.welcome_post_id !== null || event.last_seq > 0) continue;
    const start = Date.parse(event.starts_at);
    const endsAt = new Date(start + row.duration_minutes * 60_000).toISOString();
    const status = starts.has(start) ? "scheduled" : "cancelled";
    if (status !== event.status || endsAt !== event.ends_at) await repo.updateEvent(trx, event.id, { status, ends_at: endsAt });
  }
  await materialise(ctx, trx, row, now);
}

/** The series the actor may see, newest first. */
export async function listSeries(ctx: Ctx, actor: Actor): Promise<{ items: TChatSeries[] }> {
  const rows = await repo.seriesOfDistrict(ctx.db, actor.districtId);
  const mods = await repo.moderatorsOf(ctx.db, rows.map((r) => r.id));
  const visible = rows.filter((r) => canSeeSeries(actor, factsOf(r, mods)));
  return { items: await presentSeries(ctx, actor, visible) };
}

export async function getSeries(ctx: Ctx, actor: Actor, id: string): Promise<TChatSeries> {
  const { row, facts } = await loadSeries(ctx.db, id, actor.districtId);
  assertCanSee(actor, facts);
  const [series] = await presentSeries(ctx, actor, [row]);
  if (!series) throw notFound("Chat series");
  return series;
}

/** A series' events: upcoming (and running) ones soonest first, or past ones newest first. */
export async function listEvents(ctx: Ctx, actor: Actor, seriesId: string, when: "upcoming" | "past"): Promise<{ items: TChatEventSummary[] }> {
  const { row, facts } = await loadSeries(ctx.db, seriesId, actor.districtId);
  assertCanSee(actor, facts);
  const now = nowIso();
  if (when === "upcoming" && row.archived_at === null) await topUp(ctx, row);
  const rows =
    when === "upcoming"
      ? await repo.eventsOfSeries(ctx.db, seriesId, { endsAfter: now, limit: ChatLimits.eventsAhead, isScheduledOnly: true })
      : (await repo.eventsOfSeries(ctx.db, seriesId, { limit: 200, isDescending: true })).filter((e) => e.ends_at <= now && e.status !== "cancelled");
  return { items: rows.map((e) => presentEventSummary(e, now, ChatLimits.opensBeforeMinutes)) };
}

/** Keeps the next events materialised (cheap when they are). */
export async function topUp(ctx: Ctx, row: repo.SeriesRow): Promise<void> {
  const upcoming = await repo.eventsOfSeries(ctx.db, row.id, { endsAfter: nowIso(), limit: ChatLimits.eventsAhead, isScheduledOnly: true });
  if (upcoming.length >= Math.min(ChatLimits.eventsAhead, 2)) return;
  await ctx.db.transaction().execute((trx) => materialise(ctx, trx, row, new Date()));
  nudgeJobWorkers();
}

/**
 * Creates the series' events from its rule up to `eventsAhead` ahead (never twice: the series is
 * locked and existing starts skipped; a unique index backs it), each with the series' question plan,
 * and schedules their room opening, questions and reminders as durable jobs.
 */
export async function materialise(ctx: Ctx, trx: Kysely<DB>, row: repo.SeriesRow, now: Date): Promise<number> {
  await lockFor(trx, ctx.dialect, `chats.series:${row.id}`);
  const recurrence = recurrenceOf(row);
  const starts = occurrences(recurrence, now, new Date(now.getTime() + 400 * 86_400_000), ChatLimits.eventsAhead);
  const existing = new Set((await repo.startsOfSeries(trx, row.id)).map((e) => Date.parse(e.starts_at)));
  const plan = questionPlanOf(row);
  let created = 0;
  for (const start of starts) {
    if (existing.has(start.getTime())) continue;
    const eventId = newId();
    const startsAt = start.toISOString();
    const endsAt = new Date(start.getTime() + row.duration_minutes * 60_000).toISOString();
    await repo.insertEvent(trx, {
      id: eventId,
      series_id: row.id,
      district_id: row.district_id,
      starts_at: startsAt,
      ends_at: endsAt,
      title: `${row.hashtag} ${start.toISOString().slice(0, 10)}`,
      status: "scheduled",
      last_seq: 0,
      welcome_post_id: null,
      created_at: nowIso(),
    });
    const questions = numbered(
      plan.map((p) => ({ id: newId(), text: p.text, offset: p.offsetMinutes, isClosing: p.isClosing, createdAt: nowIso() })),
    );
    await repo.insertQuestions(
      trx,
      questions.map((q) => ({
        id: q.id,
        event_id: eventId,
        number: q.number,
        is_closing: q.isClosing ? 1 : 0,
        text: q.text,
        offset_minutes: q.offset,
        post_at: addMinutesIso(startsAt, q.offset),
        post_id: null,
        posted_at: null,
        created_at: q.createdAt,
        updated_at: q.createdAt,
      })),
    );
    for (const q of questions) await scheduleQuestion(trx, q.id, addMinutesIso(startsAt, q.offset));
    await enqueueJob(trx, { kind: ChatJobs.openRoom, payload: { eventId }, runAt: startsAt, dedupeKey: `chatopen:${eventId}` });
    await scheduleReminders(trx, { id: eventId, starts_at: startsAt }, row.time_zone, now);
    created++;
  }
  return created;
}

const addMinutesIso = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Q1…Qn by offset, the closing question last. */
function numbered<T extends { offset: number; isClosing: boolean; createdAt: string }>(qs: T[]): (T & { number: number })[] {
  const sorted = [...qs].sort((a, b) => Number(a.isClosing) - Number(b.isClosing) || a.offset - b.offset || a.createdAt.localeCompare(b.createdAt));
  return sorted.map((q, i) => ({ ...q, number: i + 1 }));
}

async function scheduleQuestion(trx: Kysely<DB>, questionId: string, postAt: string): Promise<void> {
  await enqueueJob(trx, { kind: ChatJobs.postQuestion, payload: { questionId, postAt }, runAt: postAt, dedupeKey: `chatq:${questionId}:${postAt}` });
}

async function scheduleReminders(trx: Kysely<DB>, event: { id: string; starts_at: string }, timeZone: string, now: Date): Promise<void> {
  const start = new Date(event.starts_at);
  const dayOf = dayOfReminderAt(start, timeZone, ChatLimits.dayOfHour);
  if (dayOf && dayOf > now) {
    await enqueueJob(trx, { kind: ChatJobs.remind, payload: { eventId: event.id, kind: "day_of" }, runAt: dayOf.toISOString(), dedupeKey: `chatremind:${event.id}:day_of` });
  }
  const soon = new Date(start.getTime() - ChatLimits.shortlyBeforeMinutes * 60_000);
  if (soon > now) {
    await enqueueJob(trx, { kind: ChatJobs.remind, payload: { eventId: event.id, kind: "soon" }, runAt: soon.toISOString(), dedupeKey: `chatremind:${event.id}:soon` });
  }
}

/** One event with its questions, for anyone who may see the series. */
export async function getEvent(ctx: Ctx, actor: Actor, id: string): Promise<TChatEvent> {
  const { event, series } = await loadEvent(ctx.db, id, actor.districtId);
  assertCanSee(actor, series.facts);
  const canModerate = canModerateSeries(actor, series.facts);
  return presentEvent(ctx, event, series, {
    canManage: canManageSeries(actor, series.facts),
    canModerate,
    canPost: canSeeSeries(actor, series.facts),
  });
}

export async function presentEvent(ctx: Ctx, event: repo.EventRow, series: LoadedSeries, abilities: TChatEvent["abilities"]): Promise<TChatEvent> {
  const questions = await repo.questionsOf(ctx.db, [event.id]);
  const crossposts = abilities.canModerate ? await repo.crosspostsOfEvent(ctx.db, event.id) : [];
  return {
    ...presentEventSummary(event, nowIso(), ChatLimits.opensBeforeMinutes),
    seriesName: series.row.name,
    hashtag: series.row.hashtag,
    audience: series.row.audience,
    guideText: series.row.guide_text,
    questions: questions.map(presentQuestion),
    lastSeq: event.last_seq,
    abilities,
    crossposts: crossposts.map((c) => ({ questionId: c.question_id, network: c.network, status: c.status, error: c.error, updatedAt: c.updated_at })),
  };
}

/** Checks a question's time: within the event, and not already past ("a question scheduled in the past is an error"). */
function checkPostAt(event: repo.EventRow, offset: number, label: string): string {
  const postAt = addMinutesIso(event.starts_at, offset);
  if (postAt > event.ends_at) throw fieldError("body.offsetMinutes", `${label} would be posted after the chat ends (it lasts until ${event.ends_at})`);
  if (postAt <= nowIso()) throw fieldError("body.offsetMinutes", `${label} would be posted at ${postAt}, which has already passed; pick a later time or post it now by hand`);
  return postAt;
}

async function renumber(trx: Kysely<DB>, eventId: string): Promise<void> {
  const qs = await repo.questionsOf(trx, [eventId]);
  const order = numbered(qs.map((q) => ({ id: q.id, offset: q.offset_minutes, isClosing: q.is_closing === 1, createdAt: q.created_at, number: q.number })));
  for (const q of order) {
    const current = qs.find((x) => x.id === q.id);
    if (current && current.number !== q.number) await repo.updateQuestion(trx, q.id, { number: q.number });
  }
}

/** Adds a question to an event (moderators), scheduled at its offset from the start. */
export async function addQuestion(ctx: Ctx, who: Writer, eventId: string, body: { text: string; offsetMinutes: number; isClosing?: boolean }): Promise<TChatQuestion> {
  const { event, series } = await loadEvent(ctx.db, eventId, who.actor.districtId);
  assertCanModerate(who.actor, series.facts);
  const existing = await repo.questionsOf(ctx.db, [event.id]);
  if (existing.length >= ChatLimits.maxQuestions) throw fieldError("body", `an event has at most ${ChatLimits.maxQuestions} questions`);
  if (body.isClosing && existing.some((q) => q.is_closing === 1)) throw fieldError("body.isClosing", "this chat already has a closing question");
  const postAt = checkPostAt(event, body.offsetMinutes, "The question");
  const id = newId();
  const now = nowIso();
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.insertQuestions(trx, [
        { id, event_id: event.id, number: 999, is_closing: body.isClosing ? 1 : 0, text: body.text, offset_minutes: body.offsetMinutes, post_at: postAt, post_id: null, posted_at: null, created_at: now, updated_at: now },
      ]);
      await renumber(trx, event.id);
      await scheduleQuestion(trx, id, postAt);
    },
    () => ({ action: "chats.question.create", subjectType: "chat_event", subjectId: event.id, details: { questionId: id } }),
  );
  nudgeJobWorkers();
  const q = await repo.findQuestion(ctx.db, id);
  if (!q) throw notFound("Question");
  return presentQuestion(q);
}

async function loadQuestion(ctx: Ctx, actor: Actor, questionId: string) {
  const q = await repo.findQuestion(ctx.db, questionId);
  if (!q) throw notFound("Question");
  const { event, series } = await loadEvent(ctx.db, q.event_id, actor.districtId);
  assertCanModerate(actor, series.facts);
  return { q, event, series };
}

/** Edits a question until it is posted (then 409). */
export async function updateQuestion(ctx: Ctx, who: Writer, questionId: string, body: { text?: string; offsetMinutes?: number; isClosing?: boolean }): Promise<TChatQuestion> {
  const { q, event } = await loadQuestion(ctx, who.actor, questionId);
  if (q.post_id) throw new AppError("conflict", `${questionLabel(q)} was posted at ${q.posted_at ?? "?"}; a posted question can no longer change`);
  const offset = body.offsetMinutes ?? q.offset_minutes;
  const postAt = body.offsetMinutes !== undefined ? checkPostAt(event, offset, questionLabel(q)) : q.post_at;
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.updateQuestion(trx, q.id, {
        ...(body.text !== undefined ? { text: body.text } : {}),
        ...(body.isClosing !== undefined ? { is_closing: body.isClosing ? 1 : 0 } : {}),
        offset_minutes: offset,
        post_at: postAt,
        updated_at: nowIso(),
      });
      await renumber(trx, event.id);
      // The earlier job finds a different time and does nothing; this one posts it.
      if (postAt !== q.post_at) await scheduleQuestion(trx, q.id, postAt);
    },
    () => ({ action: "chats.question.update", subjectType: "chat_event", subjectId: event.id, details: { questionId: q.id } }),
  );
  nudgeJobWorkers();
  const updated = await repo.findQuestion(ctx.db, q.id);
  if (!updated) throw notFound("Question");
  return presentQuestion(updated);
}

export async function deleteQuestion(ctx: Ctx, who: Writer, questionId: string): Promise<void> {
  const { q, event } = await loadQuestion(ctx, who.actor, questionId);
  if (q.post_id) throw new AppError("conflict", `${questionLabel(q)} was already posted; hide it in the room instead`);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.deleteQuestion(trx, q.id);
      await renumber(trx, event.id);
    },
    () => ({ action: "chats.question.delete", subjectType: "chat_event", subjectId: event.id, details: { questionId: q.id } }),
  );
}

/** For the question posting in room.service: the question, its event and series, moderator checked. */
export { loadQuestion };
