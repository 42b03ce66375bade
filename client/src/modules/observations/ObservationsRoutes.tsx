import { Route, Routes } from "react-router-dom";
import { NotFoundPage } from "../../pages/NotFoundPage.js";
import { ObservationFormPage } from "./ObservationFormPage.js";
import { ObservationPage } from "./ObservationPage.js";
import { ObservationsPage } from "./ObservationsPage.js";
import { useSyncWhenOnline } from "./useDeviceQueue.js";
import "./observations.css";

/** The observations module under /observations/*, loaded on demand with its own stylesheet. */
export function ObservationsRoutes() {
  // Whatever waits on this device goes out when the module opens and when the network returns.
  useSyncWhenOnline();
  return (
    <Routes>
      <Route index element={<ObservationsPage />} />
      <Route path="new" element={<ObservationFormPage />} />
      <Route path=":id" element={<ObservationPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
