/** Chat endpoints: series, events and questions, the live room, the archive. */
import { queryOptions } from "@tanstack/react-query";
import type {
  TChatAnalytics,
  TChatEvent,
  TChatEventSummary,
  TChatGroup,
  TChatPost,
  TChatQuestion,
  TChatSeries,
  TCreatePostRequest,
  TCreateSeriesRequest,
  TGuestResend,
  TGuestSignUp,
  TGuestSignUpRequest,
  TGuestVerification,
  TPublicSeries,
  TGroupMessage,
  TRoomChanges,
  TTranscript,
  TUpdateSeriesRequest,
} from "../../../../shared/schemas/chats.js";
import { http } from "../../api/client.js";

const enc = encodeURIComponent;

/** The room's calls carry a guest's credential when there is one (and a 401 is then no expired session). */
export type RoomAuth = { guestToken: string } | null;
const as = (auth: RoomAuth | undefined) => (auth ? { headers: { "X-Chat-Guest": auth.guestToken }, isAnonymous: true } : {});

export const chatsApi = {
  series: () => http.get<{ items: TChatSeries[] }>("/chats/series"),
  oneSeries: (id: string) => http.get<TChatSeries>(`/chats/series/${enc(id)}`),
  createSeries: (body: TCreateSeriesRequest) => http.post<TChatSeries>("/chats/series", body),
  updateSeries: (id: string, body: TUpdateSeriesRequest) => http.patch<TChatSeries>(`/chats/series/${enc(id)}`, body),
  events: (id: string, when: "upcoming" | "past") => http.get<{ items: TChatEventSummary[] }>(`/chats/series/${enc(id)}/events`, { query: { when } }),
  analytics: (id: string) => http.get<TChatAnalytics>(`/chats/series/${enc(id)}/analytics`),
  event: (id: string, auth?: RoomAuth) => http.get<TChatEvent>(`/chats/events/${enc(id)}`, as(auth)),
  addQuestion: (eventId: string, body: { text: string; offsetMinutes: number; isClosing: boolean }) => http.post<TChatQuestion>(`/chats/events/${enc(eventId)}/questions`, body),
  updateQuestion: (questionId: string, body: { text?: string; offsetMinutes?: number; isClosing?: boolean }) => http.patch<TChatQuestion>(`/chats/questions/${enc(questionId)}`, body),
  deleteQuestion: (questionId: string) => http.delete<{ ok: true }>(`/chats/questions/${enc(questionId)}`),
  postNow: (questionId: string) => http.post<{ postId: string }>(`/chats/questions/${enc(questionId)}/post`),
  changes: (eventId: string, after: number, auth?: RoomAuth) => http.get<TRoomChanges>(`/chats/events/${enc(eventId)}/changes`, { query: { after }, ...as(auth) }),
  post: (eventId: string, body: TCreatePostRequest, auth?: RoomAuth) => http.post<TChatPost>(`/chats/events/${enc(eventId)}/posts`, body, as(auth)),
  like: (postId: string, auth?: RoomAuth) => http.post<TChatPost>(`/chats/posts/${enc(postId)}/like`, undefined, as(auth)),
  moderate: (postId: string, action: "hide" | "unhide" | "remove") => http.post<TChatPost>(`/chats/posts/${enc(postId)}/moderate`, { action }),
  mute: (eventId: string, participantId: string, isMuted: boolean) => http.post(`/chats/events/${enc(eventId)}/mutes`, { participantId, isMuted }),
  transcript: (eventId: string) => http.get<TTranscript>(`/chats/events/${enc(eventId)}/transcript`),
  // Public series: the join page and community guests (no sign-in).
  publicSeries: (id: string) => http.get<TPublicSeries>(`/chats/public/series/${enc(id)}`, { isAnonymous: true }),
  publicTranscript: (eventId: string) => http.get<TTranscript>(`/chats/public/events/${enc(eventId)}/transcript`, { isAnonymous: true }),
  guestSignUp: (id: string, body: TGuestSignUpRequest) => http.post<TGuestSignUp>(`/chats/public/series/${enc(id)}/guests`, body, { isAnonymous: true }),
  verifyGuest: (token: string) => http.post<TGuestVerification>("/chats/public/guests/verify", { token }, { isAnonymous: true }),
  resendVerification: (auth: RoomAuth) => http.post<TGuestResend>("/chats/public/guests/verification", undefined, as(auth)),
  groups: () => http.get<{ items: TChatGroup[] }>("/chats/groups"),
  createGroup: (body: { name: string; seriesId: string | null; memberIds: string[] }) => http.post<TChatGroup>("/chats/groups", body),
  setGroupMembers: (groupId: string, memberIds: string[]) => http.put<TChatGroup>(`/chats/groups/${enc(groupId)}/members`, { memberIds }),
  groupMessages: (groupId: string, threadId?: string) => http.get<{ items: TGroupMessage[] }>(`/chats/groups/${enc(groupId)}/messages`, { query: threadId ? { threadId } : {} }),
  postGroupMessage: (groupId: string, body: { title?: string; body: string; threadId?: string }) => http.post<TGroupMessage>(`/chats/groups/${enc(groupId)}/messages`, body),
};

export const chatKeys = {
  all: ["chats"] as const,
  series: () => ["chats", "series"] as const,
  oneSeries: (id: string) => ["chats", "series", id] as const,
  events: (id: string, when: string) => ["chats", "series", id, "events", when] as const,
  analytics: (id: string) => ["chats", "series", id, "analytics"] as const,
  event: (id: string) => ["chats", "event", id] as const,
  transcript: (id: string) => ["chats", "event", id, "transcript"] as const,
  publicSeries: (id: string) => ["chats", "public", id] as const,
  publicTranscript: (id: string) => ["chats", "public", "event", id, "transcript"] as const,
  guestEvent: (id: string, token: string) => ["chats", "guest", token.slice(-8), "event", id] as const,
  groups: () => ["chats", "groups"] as const,
  groupMessages: (id: string, threadId: string | null) => ["chats", "groups", id, "messages", threadId ?? "threads"] as const,
};

export const chatQueries = {
  series: () => queryOptions({ queryKey: chatKeys.series(), queryFn: () => chatsApi.series() }),
  oneSeries: (id: string) => queryOptions({ queryKey: chatKeys.oneSeries(id), queryFn: () => chatsApi.oneSeries(id) }),
  events: (id: string, when: "upcoming" | "past") => queryOptions({ queryKey: chatKeys.events(id, when), queryFn: () => chatsApi.events(id, when) }),
  analytics: (id: string) => queryOptions({ queryKey: chatKeys.analytics(id), queryFn: () => chatsApi.analytics(id) }),
  event: (id: string) => queryOptions({ queryKey: chatKeys.event(id), queryFn: () => chatsApi.event(id) }),
  transcript: (id: string) => queryOptions({ queryKey: chatKeys.transcript(id), queryFn: () => chatsApi.transcript(id) }),
  publicSeries: (id: string) => queryOptions({ queryKey: chatKeys.publicSeries(id), queryFn: () => chatsApi.publicSeries(id), retry: false }),
  publicTranscript: (id: string) => queryOptions({ queryKey: chatKeys.publicTranscript(id), queryFn: () => chatsApi.publicTranscript(id), retry: false }),
  guestEvent: (id: string, token: string) => queryOptions({ queryKey: chatKeys.guestEvent(id, token), queryFn: () => chatsApi.event(id, { guestToken: token }), retry: false }),
  groups: () => queryOptions({ queryKey: chatKeys.groups(), queryFn: () => chatsApi.groups() }),
  // Group messages are not published on the realtime hub: a page refreshes them on focus and every 20 s.
  groupMessages: (id: string, threadId: string | null) =>
    queryOptions({ queryKey: chatKeys.groupMessages(id, threadId), queryFn: () => chatsApi.groupMessages(id, threadId ?? undefined), refetchInterval: 20_000, refetchOnWindowFocus: true }),
};

// Named with the reader's zone ("Thu, Dec 10, 2:00 AM GMT+1"): a chat's series is set in its own zone,
// shown beside it, and a time without a zone cannot be told from it.
const dateTime = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
const time = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
export const formatWhen = (iso: string) => dateTime.format(new Date(iso));
export const formatTime = (iso: string) => time.format(new Date(iso));
/** A time in another zone, named ("Wed, Dec 9, 9:00 PM EST"). */
export const formatInZone = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(new Date(iso));
