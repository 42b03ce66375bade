import { createHmac } from "node:crypto";
import { AtpAgent, RichText } from "@atproto/api";
import { createRestAPIClient } from "masto";

// What the chats module sends to other services: signed reminder webhooks (an SMS gateway such as
// a Remind-style service, Slack, Teams), and cross-posts of questions to Mastodon and Bluesky.

const TIMEOUT_MS = 10_000;

/** The signature a webhook receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * POSTs one reminder. `text` makes it readable by Slack and Teams incoming webhooks as is; the
 * delivery id stays the same on a retry so a receiver can drop a repeat.
 */
export async function sendWebhook(opts: { url: string; secret: string | null; deliveryId: string; payload: Record<string, unknown> }): Promise<void> {
  const body = JSON.stringify(opts.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Coachwork-Chats/1",
    "x-coachwork-delivery": opts.deliveryId,
    "x-coachwork-timestamp": timestamp,
  };
  if (opts.secret) headers["x-coachwork-signature"] = webhookSignature(opts.secret, timestamp, body);
  const res = await fetch(opts.url, { method: "POST", headers, body, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

/** Posts a status to Mastodon with the series' OAuth access token; returns the status id. */
export async function postToMastodon(opts: { instanceUrl: string; accessToken: string; text: string; idempotencyKey: string }): Promise<string> {
  const masto = createRestAPIClient({ url: opts.instanceUrl, accessToken: opts.accessToken, timeout: TIMEOUT_MS });
  const status = await masto.v1.statuses.create({ status: opts.text, visibility: "public" }, { requestInit: { headers: { "Idempotency-Key": opts.idempotencyKey } } });
  return status.id;
}

/** Posts to Bluesky: a session with the app password, then createRecord with the hashtags as facets; returns the record's URI. */
export async function postToBluesky(opts: { service: string; identifier: string; appPassword: string; text: string }): Promise<string> {
  const agent = new AtpAgent({ service: opts.service });
  await agent.login({ identifier: opts.identifier, password: opts.appPassword });
  const rt = new RichText({ text: opts.text });
  rt.detectFacetsWithoutResolution();
  const result = await agent.post({ text: rt.text, facets: rt.facets, createdAt: new Date().toISOString() });
  return result.uri;
}
