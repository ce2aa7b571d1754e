// The 留痕 capability as the rest of the back end sees it.
export { AuditService } from './audit-service.js';
