/** What the import feature offers the other features; they import it from here and nowhere else. */
export { DEFAULT_ZIP_LIMITS, extractTo, walkZip } from './zip-source.js';
export type { ZipLimits } from './zip-source.js';
