/**
 * A fresh idempotency key for one save. crypto.randomUUID exists only in secure contexts, and a
 * self-hosted server on a school network may be plain HTTP, so fall back to getRandomValues.
 */
export function newClientRef(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
