import { Route, Routes } from "react-router-dom";
import { NotFoundPage } from "../../pages/NotFoundPage.js";
import { ArchivePage } from "./ArchivePage.js";
import { ChatsPage } from "./ChatsPage.js";
import { EventQuestionsPage } from "./EventQuestionsPage.js";
import { GroupPage } from "./GroupPage.js";
import { GroupsPage } from "./GroupsPage.js";
import { GroupThreadPage } from "./GroupThreadPage.js";
import { RoomPage } from "./RoomPage.js";
import { SeriesPage } from "./SeriesPage.js";
import { SeriesSettingsPage } from "./SeriesSettingsPage.js";

/** The chats module's pages, loaded together on first visit. */
export function ChatsRoutes() {
  return (
    <Routes>
      <Route index element={<ChatsPage />} />
      <Route path="series/:id" element={<SeriesPage />} />
      <Route path="series/:id/settings" element={<SeriesSettingsPage />} />
      <Route path="events/:id" element={<RoomPage />} />
      <Route path="events/:id/archive" element={<ArchivePage />} />
      <Route path="events/:id/questions" element={<EventQuestionsPage />} />
      <Route path="groups" element={<GroupsPage />} />
      <Route path="groups/:id" element={<GroupPage />} />
      <Route path="groups/:id/threads/:threadId" element={<GroupThreadPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
