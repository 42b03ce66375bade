/**
 * The app shell's view of the modules: the built ones (modules/index.ts) and the ones still to
 * come, which get a place in the navigation and a "Coming soon" page until their folder exists.
 */
import type { RouteObject } from "react-router-dom";
import type { IconName } from "../components/Icon.js";
import { CLIENT_MODULES } from "../modules/index.js";
import type { NavEntry, NavSection, SettingsTab } from "./module.js";

export type ModuleInfo = {
  slug: string;
  path: string;
  label: string;
  icon: IconName;
  /** One sentence on what the module does, from the product brief. */
  summary: string;
  /** A few concrete things it will hold, shown on the coming-soon page. */
  highlights: string[];
};

/**
 * The modules of the product brief that are planned but not built yet, in the order of the
 * navigation. When one is built, its entry moves into its own folder's `module.tsx`.
 */
export const UPCOMING_MODULES: ModuleInfo[] = [
  {
    slug: "learning",
    path: "/learning",
    label: "Learning",
    icon: "learning",
    summary:
      "Publish the professional-learning catalog, schedule choice-based PD days that give teachers their top picks, and keep attendance, hours and a searchable tutorial library.",
    highlights: [
      "Tech Cafés, workshops and summit-style PD days",
      "Ranked-choice seat assignment with capacities",
      "QR check-in, certificates and calendar feeds",
    ],
  },
  {
    slug: "strategy",
    path: "/strategy",
    label: "Strategy",
    icon: "strategy",
    summary:
      "Survey the ISTE Essential Conditions, keep the shared vision and strategic plan, and monitor each goal with the data the other modules already hold.",
    highlights: [
      "Self-assessment surveys by stakeholder group, year over year",
      "Strategic plan with goals, actions, owners and evidence",
      "Teacher innovation plans linked to the support received",
    ],
  },
];

/** The sidebar's links for one section: built modules first, then the coming ones. */
export function navigationFor(section: NavSection): NavEntry[] {
  const built = CLIENT_MODULES.flatMap((m) => (m.navigation?.section === section ? [m.navigation] : []));
  const upcoming: NavEntry[] =
    section === "modules" ? UPCOMING_MODULES.map((m) => ({ label: m.label, icon: m.icon, path: m.path, section })) : [];
  return [...built, ...upcoming];
}

/** Pages shown without the app shell (sign-in, setup). */
export const PUBLIC_ROUTES: RouteObject[] = CLIENT_MODULES.flatMap((m) => m.publicRoutes ?? []);
/** Pages inside the signed-in app shell. */
export const SHELL_ROUTES: RouteObject[] = CLIENT_MODULES.flatMap((m) => m.routes ?? []);
/** Settings tabs from every module, in their order. */
export const SETTINGS_TABS: SettingsTab[] = CLIENT_MODULES.flatMap((m) => m.settings?.tabs ?? []).sort((a, b) => a.order - b.order);
export const SETTINGS_ROUTES: RouteObject[] = CLIENT_MODULES.flatMap((m) => m.settings?.routes ?? []);
