import { NavLink } from "react-router-dom";
import { canOpenInventory, schoolsWith } from "../../../../shared/policy/devices.js";
import { useMe } from "../../lib/session.js";

/** The module's sections, shown to those who have them. */
export function DevicesNav() {
  const me = useMe();
  const actor = { roles: me.person.roles };
  const stationOrBoard = schoolsWith(actor, ["it_staff", "coach", "student_tech", "school_leader"]);
  const books = schoolsWith(actor, ["teacher", "coach", "school_leader", "it_staff"]);
  const links = [
    ...(canOpenInventory(actor) ? [{ to: "/devices", label: "Inventory", end: true }, { to: "/devices/check-in", label: "Check-in" }] : [{ to: "/devices", label: "My devices", end: true }]),
    ...(stationOrBoard === "all" || stationOrBoard.length > 0 ? [{ to: "/devices/rollouts", label: "Rollouts & stations" }] : []),
    ...(books === "all" || books.length > 0 ? [{ to: "/devices/bookings", label: "Bookings" }] : []),
  ];
  if (links.length < 2) return null;
  return (
    <nav className="devices-nav" aria-label="Devices">
      {links.map((l) => (
        <NavLink key={l.to} to={l.to} end={l.end} className={({ isActive }) => `devices-nav__link${isActive ? " is-current" : ""}`}>
          {l.label}
        </NavLink>
      ))}
    </nav>
  );
}
