// The settings module's API for other modules: a district's security settings, read where they apply.
export { loadDistrictSettings, publicAddressWarning, type DistrictSettings } from "./settings.service.js";
export { insertPublicUrlIfAbsent } from "./settings.repository.js";
