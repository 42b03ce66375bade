import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

// Every request Coachwork makes to an address someone typed goes through this fetch: an identity
// provider's discovery, keys, token and userinfo (SSO), a chat's reminder webhooks and its Mastodon
// and Bluesky servers. Any of them could point at this server's own network: a cloud metadata service
// (169.254.169.254), a database on 10.x, a service on loopback. Unless the district allows private
// addresses for that use (Settings → Security: an in-house identity provider, SMS gateway or Mastodon
// server), every address a name resolves to must be public, checked at connection time: the address
// connected to is the one checked, so DNS rebinding cannot swap it. Redirects are never followed.

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 96], // unspecified, loopback, and the old IPv4-compatible ::a.b.c.d
  ["64:ff9b::", 96], // NAT64 can reach private IPv4
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64],
  ["2001:db8::", 32],
  ["2002::", 16], // 6to4 embeds an IPv4 address (2002:7f00:1:: is 127.0.0.1)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // the old site-local
  ["ff00::", 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv6");
}

/** True for loopback, private, link-local, carrier-grade NAT, documentation, multicast and unspecified addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return PRIVATE.check(mapped[1], "ipv4");
  return PRIVATE.check(address, "ipv6");
}

export class PrivateAddressError extends Error {
  constructor(host: string, address: string, hint = "a district admin can allow in-house services in Settings → Security") {
    super(`${host} is at ${address}, a private, loopback or link-local address; ${hint}`);
    this.name = "PrivateAddressError";
  }
}

/** The lookup a connection uses: every address the name resolves to must be public. */
function publicOnlyLookup(hint: string | undefined): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      const bad = addresses.find((a) => isNonPublicAddress(a.address));
      if (bad) return callback(Object.assign(new PrivateAddressError(hostname, bad.address, hint), { code: "EPRIVATE" }), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

type FetchOptions = { method?: string; headers?: Record<string, string> | Headers; body?: unknown; signal?: AbortSignal | null };

const MAX_RESPONSE_BYTES = 1024 * 1024;

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  throw new TypeError("unsupported request body");
}

/**
 * A fetch (openid-client's, @atproto/api's, the webhooks'): plain node:http(s) with the public-only
 * lookup (unless `allowPrivate`), https only unless `allowInsecure`, no redirects followed (a 3xx is
 * the answer), responses capped at 1 MiB. `hint` ends a refusal's message: who can allow the address.
 */
export function guardedFetch(opts: { allowPrivate: boolean; allowInsecure: boolean; hint?: string; purpose?: string }) {
  return (input: string | URL, init: FetchOptions = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      if (url.protocol !== "https:" && !(url.protocol === "http:" && opts.allowInsecure)) {
        reject(new Error(`${url.origin} is not https; ${opts.purpose ?? "identity providers"} must be reached over https`));
        return;
      }
      const host = url.hostname.replace(/^\[|\]$/g, "");
      // A literal address is never looked up, so it is checked here.
      if (!opts.allowPrivate && isIP(host) !== 0 && isNonPublicAddress(host)) {
        reject(new PrivateAddressError(host, host, opts.hint));
        return;
      }
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers.entries()) : (init.headers ?? {});
      const payload = bodyBytes(init.body);
      const request = (url.protocol === "https:" ? https : http).request(
        url,
        {
          method: init.method ?? "GET",
          headers: payload ? { ...headers, "content-length": String(payload.length) } : headers,
          ...(opts.allowPrivate ? {} : { lookup: publicOnlyLookup(opts.hint) }),
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy(new Error(`${url.origin} answered with more than 1 MiB`));
              return;
            }
            chunks.push(chunk);
          });
          res.on("error", reject);
          res.on("end", () => {
            const status = res.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
              else if (value !== undefined) responseHeaders.set(name, value);
            }
            const hasBody = ![204, 205, 304].includes(status) && init.method !== "HEAD";
            resolve(new Response(hasBody ? Buffer.concat(chunks) : null, { status, headers: responseHeaders }));
          });
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
}
