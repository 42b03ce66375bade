import { defineModule } from "../../platform/module.js";
import { chatsJobs } from "./chats.jobs.js";
import { registerChatRoutes } from "./chats.routes.js";
import { mayFollowRoom, realtimeGuest, GUEST_COOKIE } from "./room.service.js";

/** Community question chats (issue 16): series, live rooms, reminders, cross-posts, archives, private groups. */
export const chatsModule = defineModule({
  name: "chats",
  tables: [
    "chat_series",
    "chat_moderators",
    "chat_events",
    "chat_questions",
    "chat_participants",
    "chat_posts",
    "chat_likes",
    "chat_mutes",
    "chat_reminder_sends",
    "chat_crossposts",
    "chat_groups",
    "chat_group_members",
    "chat_group_messages",
  ],
  routes: registerChatRoutes,
  jobs: chatsJobs,
  topics: {
    chat: (actor, topic, ctx) => mayFollowRoom(ctx, actor, topic, false),
    chatmod: (actor, topic, ctx) => mayFollowRoom(ctx, actor, topic, true),
  },
  realtimeGuests: { cookie: GUEST_COOKIE, resolve: realtimeGuest },
});
