/** What the people feature offers the other features; they import it from here and nowhere else. */
export { hashPassword, verifyPassword } from './auth.js';
export type { PasswordThrottle } from './throttle.js';
