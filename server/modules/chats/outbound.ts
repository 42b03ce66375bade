import { createHmac } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AtpAgent, RichText } from "@atproto/api";
import { fieldError } from "../../errors.js";
import { guardedFetch, isNonPublicAddress } from "../../platform/guarded-fetch.js";

// What the chats module sends to other services: signed reminder webhooks (an SMS gateway such as
// a Remind-style service, Slack, Teams), and cross-posts of questions to Mastodon and Bluesky. The
// addresses are typed by moderators, so every request goes through the platform's guarded fetch:
// unless the district allows private addresses (Settings → Security), the address connected to must be
// public, checked after DNS resolution at connection time, and no redirect is followed.

const TIMEOUT_MS = 10_000;
const HINT = "a district admin can allow in-house chat webhooks and servers in Settings → Security";

/** Whether the district lets chat webhooks and cross-posting servers be on private addresses. */
export type OutboundPolicy = { allowPrivate: boolean };

function outboundFetch(policy: OutboundPolicy): typeof fetch {
  const f = guardedFetch({ allowPrivate: policy.allowPrivate, allowInsecure: true, hint: HINT, purpose: "chat webhooks" });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    // @atproto/api passes a Request once it holds a session.
    const request = input instanceof Request ? input : null;
    const method = init?.method ?? request?.method ?? "GET";
    const body = init?.body ?? (request && method !== "GET" && method !== "HEAD" ? new Uint8Array(await request.arrayBuffer()) : undefined);
    return f(request ? request.url : (input as string | URL), {
      method,
      headers: new Headers(init?.headers ?? request?.headers),
      body,
      signal: init?.signal ?? request?.signal ?? AbortSignal.timeout(TIMEOUT_MS),
    });
  }) as typeof fetch;
}

/**
 * The check at save time (the send-time check after DNS resolution is the one that holds): an address
 * that is, or whose name now resolves to, a private, loopback or link-local address is a 400 naming
 * `field`. A name that does not resolve yet passes here; it is checked again when used.
 */
export async function assertPublicUrl(policy: OutboundPolicy, url: string, field: string): Promise<void> {
  if (policy.allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 3000).unref());
    addresses = await Promise.race([lookup(host, { all: true }).then((all) => all.map((a) => a.address), () => []), timeout]);
  }
  const bad = addresses.find((a) => isNonPublicAddress(a));
  if (bad) throw fieldError(field, `${host === bad ? "is" : `points to ${bad},`} a private, loopback or link-local address; ${HINT}`);
}

/** The signature a webhook receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * POSTs one reminder. `text` makes it readable by Slack and Teams incoming webhooks as is; the
 * delivery id stays the same on a retry so a receiver can drop a repeat.
 */
export async function sendWebhook(policy: OutboundPolicy, opts: { url: string; secret: string | null; deliveryId: string; payload: Record<string, unknown> }): Promise<void> {
  const body = JSON.stringify(opts.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Coachwork-Chats/1",
    "x-coachwork-delivery": opts.deliveryId,
    "x-coachwork-timestamp": timestamp,
  };
  if (opts.secret) headers["x-coachwork-signature"] = webhookSignature(opts.secret, timestamp, body);
  // A redirect is not followed: it is the answer, and a failure.
  const res = await outboundFetch(policy)(opts.url, { method: "POST", headers, body });
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

/** Posts a status to Mastodon (`POST /api/v1/statuses`) with the series' OAuth access token; returns the status id. */
export async function postToMastodon(policy: OutboundPolicy, opts: { instanceUrl: string; accessToken: string; text: string; idempotencyKey: string }): Promise<string> {
  const res = await outboundFetch(policy)(new URL("/api/v1/statuses", opts.instanceUrl).toString(), {
    method: "POST",
    headers: {
      authorization: `Bearer ${opts.accessToken}`,
      "content-type": "application/json",
      accept: "application/json",
      "idempotency-key": opts.idempotencyKey,
      "user-agent": "Coachwork-Chats/1",
    },
    body: JSON.stringify({ status: opts.text, visibility: "public" }),
  });
  const answer = (await res.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
  if (!res.ok || typeof answer.id !== "string") throw new Error(`Mastodon answered ${res.status}${typeof answer.error === "string" ? `: ${answer.error}` : ""}`);
  return answer.id;
}

/** Posts to Bluesky: a session with the app password, then createRecord with the hashtags as facets; returns the record's URI. */
export async function postToBluesky(policy: OutboundPolicy, opts: { service: string; identifier: string; appPassword: string; text: string }): Promise<string> {
  const agent = new AtpAgent({ service: opts.service, fetch: outboundFetch(policy) });
  await agent.login({ identifier: opts.identifier, password: opts.appPassword });
  const rt = new RichText({ text: opts.text });
  rt.detectFacetsWithoutResolution();
  const result = await agent.post({ text: rt.text, facets: rt.facets, createdAt: new Date().toISOString() });
  return result.uri;
}
