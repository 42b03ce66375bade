import type { Kysely } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import type { Config } from "../../env.js";
import type { DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";
import { enqueueJob, nudgeJobWorkers, type JobHandler } from "../../platform/jobs.js";

export const SEND_MAIL_JOB = "mail.send";
const MAX_ATTEMPTS = 5;

/**
 * Queues an email in the caller's transaction: the outbox row is the mail's record (pending, sent,
 * failed), and a "mail.send" job sends it once the transaction commits.
 */
export async function enqueueEmail(db: Kysely<DB>, mail: { to: string; subject: string; text: string }): Promise<void> {
  const id = newId();
  await db
    .insertInto("outbox")
    .values({
      id,
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      status: "pending",
      attempts: 0,
      last_error: null,
      created_at: nowIso(),
      sent_at: null,
    })
    .execute();
  await enqueueJob(db, { kind: SEND_MAIL_JOB, payload: { outboxId: id }, dedupeKey: `mail:${id}`, maxAttempts: MAX_ATTEMPTS });
  nudgeJobWorkers();
}

// One SMTP transport per configuration, made on first use (not pooled: nothing to close).
const transports = new WeakMap<Config, Transporter>();
function transportFor(config: Config): Transporter | null {
  if (!config.smtpUrl) return null;
  let transport = transports.get(config);
  if (!transport) transports.set(config, (transport = nodemailer.createTransport(config.smtpUrl)));
  return transport;
}

const ZSendMail = z.object({ outboxId: z.string() });

/**
 * Sends one outbox mail over SMTP. Without SMTP_URL (development) the mail stays pending in the
 * outbox, as before; the caller logs what matters (a reset link). A failed send is retried by the
 * job with backoff; the outbox row records each error, and "failed" after the last attempt.
 */
const sendMail: JobHandler = async (job, { ctx }) => {
  const { outboxId } = ZSendMail.parse(job.payload);
  const transport = transportFor(ctx.config);
  if (!transport) return;
  const mail = await ctx.db.selectFrom("outbox").selectAll().where("id", "=", outboxId).executeTakeFirst();
  if (!mail || mail.status !== "pending") return; // sent already (a re-run after a crash) or gone
  await ctx.db.updateTable("outbox").set({ attempts: mail.attempts + 1 }).where("id", "=", mail.id).execute();
  try {
    await transport.sendMail({ from: ctx.config.mailFrom, to: mail.to_address, subject: mail.subject, text: mail.body_text });
  } catch (err) {
    await ctx.db
      .updateTable("outbox")
      .set({ status: job.isLastAttempt ? "failed" : "pending", last_error: String(err).slice(0, 500) })
      .where("id", "=", mail.id)
      .execute();
    throw err;
  }
  await ctx.db.updateTable("outbox").set({ status: "sent", sent_at: nowIso(), last_error: null }).where("id", "=", mail.id).execute();
};

/** The mail module's jobs, for the job worker. */
export const mailJobs: Readonly<Record<string, JobHandler>> = { [SEND_MAIL_JOB]: sendMail };
