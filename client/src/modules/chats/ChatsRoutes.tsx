import { Route, Routes } from "react-router-dom";
import { ArchivePage } from "./ArchivePage.js";
import { ChatsPage } from "./ChatsPage.js";
import { RoomPage } from "./RoomPage.js";
import { SeriesPage } from "./SeriesPage.js";

/** The chats module's pages, loaded together on first visit. */
export function ChatsRoutes() {
  return (
    <Routes>
      <Route index element={<ChatsPage />} />
      <Route path="series/:id" element={<SeriesPage />} />
      <Route path="events/:id" element={<RoomPage />} />
      <Route path="events/:id/archive" element={<ArchivePage />} />
    </Routes>
  );
}
