import { canOpenInventory, schoolsWith } from "../../../../shared/policy/devices.js";
import { TabNav } from "../../components/Tabs.js";
import { useMe } from "../../lib/session.js";

/** The module's sections, shown to those who have them, as the help desk's and the directory's: the shared tabs. */
export function DevicesNav() {
  const me = useMe();
  const actor = { roles: me.person.roles };
  const stationOrBoard = schoolsWith(actor, ["it_staff", "coach", "student_tech", "school_leader"]);
  const books = schoolsWith(actor, ["teacher", "coach", "school_leader", "it_staff"]);
  const links = [
    ...(canOpenInventory(actor) ? [{ to: "/devices", label: "Inventory", end: true }, { to: "/devices/check-in", label: "Check-in" }, { to: "/devices/loans/overdue", label: "Overdue loans" }] : [{ to: "/devices", label: "My devices", end: true }]),
    ...(stationOrBoard === "all" || stationOrBoard.length > 0 ? [{ to: "/devices/rollouts", label: "Rollouts & stations" }] : []),
    ...(books === "all" || books.length > 0 ? [{ to: "/devices/bookings", label: "Bookings" }] : []),
  ];
  if (links.length < 2) return null;
  return (
    <div className="devices-tabs">
      <TabNav label="Devices" tabs={links} />
    </div>
  );
}
