/**
 * A community guest's credential for one public series, kept in this browser's localStorage under
 * `coachwork.chatGuest.<seriesId>` so a reload (or the reminder's link days later) finds it. It opens
 * only that series' rooms; it ends when the guest signs up again (the server replaces the token),
 * leaves on this device ("Leave"), or the server forgets it. The WebSocket uses the HttpOnly cookie
 * set at sign-up, not this copy.
 */
import type { TGuestSignUp } from "../../../../shared/schemas/chats.js";

export type GuestCredential = { seriesId: string; participantId: string; name: string; token: string; email: string; emailVerified: boolean };

const key = (seriesId: string) => `coachwork.chatGuest.${seriesId}`;

export function loadGuest(seriesId: string): GuestCredential | null {
  try {
    const raw = localStorage.getItem(key(seriesId));
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<GuestCredential>;
    if (typeof value.token !== "string" || typeof value.participantId !== "string" || typeof value.name !== "string") return null;
    return { seriesId, participantId: value.participantId, name: value.name, token: value.token, email: typeof value.email === "string" ? value.email : "", emailVerified: value.emailVerified === true };
  } catch {
    return null; // storage disabled (private mode) or a damaged entry: sign up again
  }
}

export function saveGuest(seriesId: string, signUp: Omit<TGuestSignUp, "token"> & { token: string }, email: string): GuestCredential {
  const credential = { seriesId, participantId: signUp.participantId, name: signUp.name, token: signUp.token, email, emailVerified: signUp.emailVerified };
  try {
    localStorage.setItem(key(seriesId), JSON.stringify(credential));
  } catch {
    // Without storage the credential lasts as long as the page.
  }
  return credential;
}

export function forgetGuest(seriesId: string): void {
  try {
    localStorage.removeItem(key(seriesId));
  } catch {
    // nothing stored
  }
}
