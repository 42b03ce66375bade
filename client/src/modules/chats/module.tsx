import { lazyPage, type ClientModule } from "../../lib/module.js";

/** Community question chats: series, the live room, the archive; public series' pages for guests. */
export const chatsModule: ClientModule = {
  name: "chats",
  navigation: { label: "Chats", icon: "chats", path: "/chats", section: "modules" },
  // No sign-in: a public series' join page, room for community guests and transcripts, and the guests' email link.
  publicRoutes: [
    { path: "/chats/public/verify", element: lazyPage(() => import("./PublicPages.js"), "VerifyGuestPage", "Loading…") },
    { path: "/chats/public/:seriesId", element: lazyPage(() => import("./PublicPages.js"), "PublicSeriesPage", "Loading the chat…") },
    { path: "/chats/public/:seriesId/events/:eventId/transcript", element: lazyPage(() => import("./PublicPages.js"), "PublicTranscriptPage", "Loading the transcript…") },
    { path: "/chats/public/:seriesId/events/:eventId", element: lazyPage(() => import("./PublicPages.js"), "GuestRoomPage", "Opening the room…") },
  ],
  routes: [{ path: "chats/*", element: lazyPage(() => import("./ChatsRoutes.js"), "ChatsRoutes", "Loading chats…") }],
};
