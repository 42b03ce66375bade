import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Client secrets are encrypted at rest with AES-256-GCM under a key derived (HKDF-SHA256) from
// COACHWORK_SECRET, so a copy of the database alone does not reveal them. The row id is bound in
// as associated data: a ciphertext copied onto another provider's row does not decrypt.

const VERSION = "v1";
const INFO = "coachwork sso client secret v1";
const keys = new Map<string, Buffer>();

function keyFor(appSecret: string): Buffer {
  let key = keys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "coachwork", INFO, 32));
    keys.set(appSecret, key);
  }
  return key;
}

/** Encrypts `plaintext` for storage; `boundTo` (the row id) must be given again to decrypt. */
export function sealSecret(appSecret: string, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(appSecret), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(".");
}

/** Decrypts a value from sealSecret; undefined when it was sealed under another key or row, or tampered with. */
export function openSecret(appSecret: string, sealed: string, boundTo: string): string | undefined {
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
