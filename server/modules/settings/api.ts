// The settings module's API for other modules: a district's settings, read where they apply.
export {
  DEFAULT_COACHING_SHARE_TARGET,
  loadDistrictSettings,
  loadTermCalendar,
  loadTermDefinitions,
  publicAddressWarning,
  type DistrictSettings,
} from "./settings.service.js";
export { insertPublicUrlIfAbsent } from "./settings.repository.js";
