import icalGenerator from "ical-generator";
import { z } from "zod";
import { ChatLimits } from "../../../shared/schemas/chats.js";
import type { Ctx } from "../../context.js";
import { notFound } from "../../errors.js";
import { newId, nowIso } from "../../lib.js";
import { enqueueJob, nudgeJobWorkers, type JobHandler } from "../../platform/jobs.js";
import { enqueueEmail } from "../mail/api.js";
import { activePeopleByIds } from "../people/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import * as repo from "./chats.repository.js";
import { crosspostOf, questionLabel, webhooksOf } from "./chats.presenters.js";
import { ChatJobs, loadEvent, topUp } from "./chats.service.js";
import { postToBluesky, postToMastodon, sendWebhook, type OutboundPolicy } from "./outbound.js";
import { postQuestion, postWelcome } from "./room.service.js";
import { open } from "./secrets.js";

// Durable jobs of the chats module. Each is idempotent: a job re-run after a crash finds its work
// done (a question already posted, a reminder recorded in chat_reminder_sends) and does nothing.

const ZPostQuestion = z.object({ questionId: z.string(), postAt: z.string() });
const ZEventJob = z.object({ eventId: z.string() });
const ZRemind = z.object({ eventId: z.string(), kind: z.enum(["day_of", "soon"]) });
const ZWebhookJob = z.object({ eventId: z.string(), kind: z.enum(["day_of", "soon"]), webhookId: z.string() });
const ZCrosspostJob = z.object({ questionId: z.string(), network: z.enum(["mastodon", "bluesky"]) });

function whenText(startsAt: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(new Date(startsAt));
}

async function roomLink(ctx: Ctx, districtId: string, eventId: string): Promise<string> {
  const settings = await loadDistrictSettings(ctx.db, districtId).catch(() => null);
  const base = settings?.publicUrl ?? ctx.config.publicUrl ?? "";
  return `${base.replace(/\/$/, "")}/chats/events/${eventId}`;
}

/** Whether this district's chat webhooks and cross-posting servers may be on private addresses. */
async function outboundPolicy(ctx: Ctx, districtId: string): Promise<OutboundPolicy> {
  return { allowPrivate: (await loadDistrictSettings(ctx.db, districtId)).allowPrivateChatWebhooks };
}

const postQuestionJob: JobHandler = async (job, { ctx, realtime }) => {
  const { questionId, postAt } = ZPostQuestion.parse(job.payload);
  await postQuestion(ctx, realtime, questionId, { expectedPostAt: postAt });
};

const openRoomJob: JobHandler = async (job, { ctx, realtime }) => {
  const { eventId } = ZEventJob.parse(job.payload);
  await postWelcome(ctx, realtime, eventId);
  // Keep the series' next events materialised as time moves on.
  const event = await repo.findEvent(ctx.db, eventId);
  const series = event ? await repo.findSeries(ctx.db, event.series_id) : undefined;
  if (series && series.archived_at === null) await topUp(ctx, series);
};

/**
 * Sends a reminder: one email per recipient (recorded in chat_reminder_sends in the same
 * transaction that queues the mail, so a re-run sends none twice), and one job per webhook.
 */
const remindJob: JobHandler = async (job, { ctx }) => {
  const { eventId, kind } = ZRemind.parse(job.payload);
  const { event, series } = await loadEvent(ctx.db, eventId, null).catch(() => ({ event: null, series: null }));
  if (!event || !series || event.status === "cancelled" || series.row.archived_at !== null) return;
  const row = series.row;
  const when = whenText(event.starts_at, row.time_zone);
  const link = await roomLink(ctx, row.district_id, event.id);
  const subject = kind === "day_of" ? `Today: ${row.name} (${row.hashtag}) at ${when}` : `Starting in ${ChatLimits.shortlyBeforeMinutes} minutes: ${row.name} (${row.hashtag})`;
  const text = `${row.name} (${row.hashtag}) is ${kind === "day_of" ? "today" : "about to start"}: ${when}, ${row.duration_minutes} minutes.\n\nJoin the room: ${link}\n\n${row.description}`.trim();
  if (row.reminder_email === 1) {
    const recipients = await repo.reminderRecipients(ctx.db, row.id);
    const staffEmails = new Map((await activePeopleByIds(ctx.db, recipients.flatMap((r) => (r.person_id ? [r.person_id] : [])))).map((p) => [p.id, p.email]));
    // Staff follow the room's link (they sign in); guests the public series' room, where their sign-up opens it.
    const guestText = text.replace(link, `${link.slice(0, link.indexOf("/chats/"))}/chats/public/${row.id}/events/${event.id}`);
    const addresses = new Map<string, string>();
    for (const r of recipients) {
      const email = r.person_id ? staffEmails.get(r.person_id) : r.email;
      if (email && !addresses.has(email.toLowerCase())) addresses.set(email.toLowerCase(), r.person_id ? text : guestText);
    }
    for (const [to, body] of addresses) {
      await ctx.db.transaction().execute(async (trx) => {
        if (await repo.claimReminderSend(trx, event.id, kind, `email:${to}`, nowIso())) await enqueueEmail(trx, { to, subject, text: body });
      });
    }
  }
  for (const webhook of webhooksOf(row)) {
    await enqueueJob(ctx.db, { kind: ChatJobs.webhook, payload: { eventId, kind, webhookId: webhook.id }, dedupeKey: `chatwh:${eventId}:${kind}:${webhook.id}`, maxAttempts: 5 });
  }
  nudgeJobWorkers();
};

const webhookJob: JobHandler = async (job, { ctx }) => {
  const { eventId, kind, webhookId } = ZWebhookJob.parse(job.payload);
  const { event, series } = await loadEvent(ctx.db, eventId, null);
  const webhook = webhooksOf(series.row).find((w) => w.id === webhookId);
  if (!webhook) return; // removed since
  const deliveryId = `chatwh:${eventId}:${kind}:${webhookId}`;
  // Recorded before sending: a crash between the two may lose one delivery, never repeat one we know was made.
  const row = series.row;
  const when = whenText(event.starts_at, row.time_zone);
  const link = await roomLink(ctx, row.district_id, event.id);
  await sendWebhook(await outboundPolicy(ctx, row.district_id), {
    url: webhook.url,
    secret: webhook.secretSealed ? (open(ctx.config.secret, webhook.secretSealed, row.id) ?? null) : null,
    deliveryId,
    payload: {
      type: "chat.reminder",
      kind,
      text: kind === "day_of" ? `Reminder: ${row.hashtag} is today, ${when}. ${link}` : `${row.hashtag} starts in ${ChatLimits.shortlyBeforeMinutes} minutes: ${link}`,
      series: { id: row.id, name: row.name, hashtag: row.hashtag },
      event: { id: event.id, startsAt: event.starts_at, endsAt: event.ends_at, url: link },
    },
  });
  await repo.claimReminderSend(ctx.db, event.id, kind, `webhook:${webhookId}`, nowIso());
};

/** Cross-posts a posted question; a failure is recorded and shown to the moderators, the chat goes on. */
const crosspostJob: JobHandler = async (job, { ctx, realtime }) => {
  const { questionId, network } = ZCrosspostJob.parse(job.payload);
  const q = await repo.findQuestion(ctx.db, questionId);
  if (!q) return;
  const { event, series } = await loadEvent(ctx.db, q.event_id, null);
  const settings = crosspostOf(series.row);
  const text = `${questionLabel(q)} ${q.text} ${series.row.hashtag}`.slice(0, 300);
  const record = async (status: "posted" | "failed", remoteId: string | null, error: string | null) => {
    const at = nowIso();
    await repo.upsertCrosspost(ctx.db, { id: newId(), questionId, eventId: event.id, network, status, remoteId, error, at });
    if (status === "failed" && realtime) {
      await realtime
        .publish(`chatmod:${event.id}`, { type: "crosspost", crosspost: { questionId, network, status, error, updatedAt: at } })
        .catch((err: unknown) => ctx.log.warn({ err }, "chats: publishing a cross-post failure failed"));
    }
  };
  try {
    let remoteId: string;
    if (network === "mastodon") {
      const m = settings.mastodon;
      const token = m?.tokenSealed ? open(ctx.config.secret, m.tokenSealed, series.row.id) : undefined;
      if (!m || !token) throw new Error("Mastodon is not set up for this chat (no access token)");
      remoteId = await postToMastodon(await outboundPolicy(ctx, series.row.district_id), { instanceUrl: m.instanceUrl, accessToken: token, text, idempotencyKey: `chatx:${questionId}` });
    } else {
      const b = settings.bluesky;
      const password = b?.passwordSealed ? open(ctx.config.secret, b.passwordSealed, series.row.id) : undefined;
      if (!b || !password) throw new Error("Bluesky is not set up for this chat (no app password)");
      remoteId = await postToBluesky(await outboundPolicy(ctx, series.row.district_id), { service: b.service, identifier: b.identifier, appPassword: password, text });
    }
    await record("posted", remoteId, null);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    await record("failed", null, `${job.isLastAttempt ? "Gave up" : `Attempt ${job.attempt} of ${job.maxAttempts}`}: ${message}`);
    if (!job.isLastAttempt) throw err;
  }
};

export const chatsJobs: Readonly<Record<string, JobHandler>> = {
  [ChatJobs.postQuestion]: postQuestionJob,
  [ChatJobs.openRoom]: openRoomJob,
  [ChatJobs.remind]: remindJob,
  [ChatJobs.webhook]: webhookJob,
  [ChatJobs.crosspost]: crosspostJob,
};

/** The series' iCal feed: its materialised events, for calendar apps (by the feed's secret address). */
export async function calendarFeed(ctx: Ctx, token: string): Promise<string> {
  const row = await repo.findSeriesByCalendarToken(ctx.db, token);
  if (!row) throw notFound("Calendar");
  const events = await repo.eventsOfSeries(ctx.db, row.id, { limit: 60, isDescending: true });
  const cal = icalGenerator({ name: `${row.name} (${row.hashtag})`, prodId: { company: "Coachwork", product: "Chats" } });
  for (const e of [...events].reverse()) {
    if (e.status === "cancelled") continue;
    const link = await roomLink(ctx, row.district_id, e.id);
    cal.createEvent({
      id: `${e.id}@coachwork`,
      start: new Date(e.starts_at),
      end: new Date(e.ends_at),
      // UTC instants ("…Z"): ical-generator writes TZID times from the process's clock without a zone
      // database, which would be wrong on a server not in the series' zone; calendars show Z times locally.
      summary: `${row.name} ${row.hashtag}`,
      description: `${row.description}\n\n${link}`.trim(),
      url: link,
    });
  }
  return cal.toString();
}
