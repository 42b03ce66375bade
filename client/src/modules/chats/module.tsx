import { lazyPage, type ClientModule } from "../../lib/module.js";

/** Community question chats: series, the live room, the archive. */
export const chatsModule: ClientModule = {
  name: "chats",
  navigation: { label: "Chats", icon: "chats", path: "/chats", section: "modules" },
  routes: [{ path: "chats/*", element: lazyPage(() => import("./ChatsRoutes.js"), "ChatsRoutes", "Loading chats…") }],
};
