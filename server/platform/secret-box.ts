import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Secrets a module must keep but never show again (SSO client secrets, a chat series' cross-posting
// tokens and webhook secrets) are encrypted at rest with AES-256-GCM under a key derived (HKDF-SHA256)
// from COACHWORK_SECRET, so a copy of the database alone does not reveal them. Each use has its own
// salt and info, so its key is its own; the row id is bound in as associated data: a ciphertext
// copied onto another row does not decrypt.

const VERSION = "v1";

export type SecretBox = {
  /** Encrypts `plaintext` for storage; `boundTo` (the row id) must be given again to open it. */
  seal(appSecret: string, plaintext: string, boundTo: string): string;
  /** Decrypts a sealed value; undefined when it was sealed under another key or row, or tampered with. */
  open(appSecret: string, sealed: string, boundTo: string): string | undefined;
};

/** A box with its own key derivation (`salt` and `info` never change once values are stored). */
export function secretBox(derivation: { salt: string; info: string }): SecretBox {
  const keys = new Map<string, Buffer>();
  const keyFor = (appSecret: string): Buffer => {
    let key = keys.get(appSecret);
    if (!key) {
      key = Buffer.from(hkdfSync("sha256", appSecret, derivation.salt, derivation.info, 32));
      keys.set(appSecret, key);
    }
    return key;
  };
  return {
    seal(appSecret, plaintext, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", keyFor(appSecret), iv);
      cipher.setAAD(Buffer.from(boundTo));
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
    },
    open(appSecret, sealed, boundTo) {
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
    },
  };
}
