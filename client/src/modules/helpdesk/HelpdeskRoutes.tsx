import { Navigate, Route, Routes } from "react-router-dom";
import { NotFoundPage } from "../../pages/NotFoundPage.js";
import { KioskPage } from "./KioskPage.js";
import { MyTicketsPage } from "./MyTicketsPage.js";
import { NewTicketPage } from "./NewTicketPage.js";
import { PunchListPage } from "./PunchListPage.js";
import { QueuePage } from "./QueuePage.js";
import { ReportsPage } from "./ReportsPage.js";
import { SettingsPage } from "./SettingsPage.js";
import { TicketPage } from "./TicketPage.js";
import "./helpdesk.css";

/** The help desk under /helpdesk/*, loaded on demand with its own stylesheet. */
export function HelpdeskRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="mine" replace />} />
      <Route path="mine" element={<MyTicketsPage />} />
      <Route path="new" element={<NewTicketPage />} />
      <Route path="queue" element={<QueuePage />} />
      <Route path="kiosk" element={<KioskPage />} />
      <Route path="punch-list" element={<PunchListPage />} />
      <Route path="reports" element={<ReportsPage />} />
      <Route path="settings" element={<SettingsPage />} />
      <Route path="tickets/:id" element={<TicketPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
