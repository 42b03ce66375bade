import type { Kysely } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

const MAX_ATTEMPTS = 5;

/** Queues an email in the database, in the caller's transaction; the outbox worker sends it. */
export async function enqueueEmail(db: Kysely<DB>, mail: { to: string; subject: string; text: string }): Promise<void> {
  await db
    .insertInto("outbox")
    .values({
      id: newId(),
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
}

/**
 * Sends pending outbox mail over SMTP when SMTP_URL is set. Without SMTP (development), mail stays
 * in the outbox and its text is logged, so a developer can follow reset links from the terminal.
 * Claiming a row flips it to a unique "sending" marker first, so two servers never send one mail twice.
 */
export function startOutboxWorker(ctx: Ctx, intervalMs = 5_000): { stop(): Promise<void> } {
  const transport: Transporter | null = ctx.config.smtpUrl ? nodemailer.createTransport(ctx.config.smtpUrl) : null;
  let running: Promise<void> | null = null;
  const tick = async () => {
    if (!transport) return;
    const batch = await ctx.db
      .selectFrom("outbox")
      .selectAll()
      .where("status", "=", "pending")
      .orderBy("created_at")
      .limit(20)
      .execute();
    for (const mail of batch) {
      const claimed = await ctx.db
        .updateTable("outbox")
        .set({ attempts: mail.attempts + 1 })
        .where("id", "=", mail.id)
        .where("attempts", "=", mail.attempts)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      try {
        await transport.sendMail({ from: ctx.config.mailFrom, to: mail.to_address, subject: mail.subject, text: mail.body_text });
        await ctx.db.updateTable("outbox").set({ status: "sent", sent_at: nowIso(), last_error: null }).where("id", "=", mail.id).execute();
      } catch (err) {
        const failed = mail.attempts + 1 >= MAX_ATTEMPTS;
        await ctx.db
          .updateTable("outbox")
          .set({ status: failed ? "failed" : "pending", last_error: String(err).slice(0, 500) })
          .where("id", "=", mail.id)
          .execute();
        ctx.log.warn({ mailId: mail.id, err }, "sending mail failed");
      }
    }
  };
  const timer = setInterval(() => {
    running ??= tick()
      .catch((err: unknown) => ctx.log.error({ err }, "outbox worker failed"))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      transport?.close();
    },
  };
}
