/** What other features use of the pre-check: the service and the engine key its runs are stored under. */
export { PrecheckService, PRECHECK_ENGINE, type PrecheckServiceOptions } from './precheck-service.js';
export { DocumentMapService } from './document-map-service.js';
