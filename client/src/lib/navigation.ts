/** Only same-site paths are followed after sign-in, never `//evil.example` or full URLs. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}

/** Reads `{ notice }` passed through navigation state, e.g. after signing out. */
export function readNotice(state: unknown): string | null {
  if (typeof state === "object" && state !== null && "notice" in state && typeof state.notice === "string") {
    return state.notice;
  }
  return null;
}
