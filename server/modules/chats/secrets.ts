import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Cross-posting tokens and webhook secrets are encrypted at rest with AES-256-GCM under a key
// derived from COACHWORK_SECRET (as the SSO module seals client secrets), bound to the series id:
// a database copy alone reveals nothing, and a value moved to another series does not open.
// The API never returns them, only whether one is set.

const VERSION = "v1";
const INFO = "coachwork chats secret v1";

function keyFor(appSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "coachwork-chats", INFO, 32));
}

export function seal(appSecret: string, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(appSecret), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function open(appSecret: string, sealed: string, boundTo: string): string | undefined {
  const [version, iv, tag, data, extra] = sealed.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || data === undefined || extra !== undefined) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(appSecret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
