/**
 * What a client module hands the app shell: its navigation entry, its routes (pages load on
 * first visit) and any Settings tabs. `modules/index.ts` lists the modules; `App.tsx` and the
 * shell read that list, so adding a module is one folder plus one line there.
 */
import { lazy, Suspense, type ComponentType, type ReactElement } from "react";
import type { RouteObject } from "react-router-dom";
import { Spinner } from "../components/Feedback.js";
import type { IconName } from "../components/Icon.js";

export type NavSection = "main" | "modules" | "district";

export type NavEntry = {
  label: string;
  icon: IconName;
  /** Where the link goes. */
  path: string;
  section: NavSection;
  /** The entry stays highlighted on every path under this prefix (default: `path` and below). */
  matchPrefix?: string;
  /** Only the exact path counts as current (Home). */
  isEnd?: boolean;
  /**
   * Shown to students too. Someone whose every role is a student role (a student, a student tech)
   * sees only these entries; the staff modules would only answer them "not allowed".
   */
  isForStudents?: boolean;
};

export type SettingsTab = {
  /** Relative to /settings. */
  path: string;
  label: string;
  isAdminOnly: boolean;
  /** Tabs from every module are shown by this number, lowest first. */
  order: number;
};

export type ClientModule = {
  name: string;
  navigation?: NavEntry;
  /** Pages for people who are not signed in (sign-in, setup); rendered without the app shell. */
  publicRoutes?: RouteObject[];
  /** Pages inside the signed-in app shell, paths relative to the root. */
  routes?: RouteObject[];
  /** Tabs under Settings; their routes are relative to /settings. */
  settings?: { tabs: SettingsTab[]; routes: RouteObject[] };
};

/**
 * A page that loads on first visit: `lazyPage(() => import("./PeopleListPage.js"), "PeopleListPage")`.
 * The page's code (and its stylesheet) is fetched only when someone opens it.
 */
export function lazyPage<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
  fallbackLabel = "Loading…",
): ReactElement {
  const Page = lazy(async (): Promise<{ default: ComponentType }> => ({ default: (await load())[name] }));
  return (
    <Suspense fallback={<Spinner label={fallbackLabel} />}>
      <Page />
    </Suspense>
  );
}
