import { Route, Routes } from "react-router-dom";
import { NotFoundPage } from "../../pages/NotFoundPage.js";
import { AssetPage } from "./AssetPage.js";
import { BoardPage } from "./BoardPage.js";
import { BookingsPage } from "./BookingsPage.js";
import { CheckInPage } from "./CheckInPage.js";
import { ImportPage } from "./ImportPage.js";
import { InventoryPage } from "./InventoryPage.js";
import { OverdueLoansPage } from "./OverdueLoansPage.js";
import { RolloutsPage } from "./RolloutsPage.js";
import { StationPage } from "./StationPage.js";
import "./devices.css";

/** The devices module under /devices/*, loaded on demand with its own stylesheet. */
export function DevicesRoutes() {
  return (
    <Routes>
      <Route index element={<InventoryPage />} />
      <Route path="assets/:id" element={<AssetPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="check-in" element={<CheckInPage />} />
      <Route path="loans/overdue" element={<OverdueLoansPage />} />
      <Route path="rollouts" element={<RolloutsPage />} />
      <Route path="rollouts/:id/station" element={<StationPage />} />
      <Route path="rollouts/:id/board" element={<BoardPage />} />
      <Route path="bookings" element={<BookingsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
