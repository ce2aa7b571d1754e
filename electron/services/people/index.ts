/** What the people feature offers the other features; they import it from here and nowhere else. */
export { hashPassword, NO_PASSWORD_FROM_PACKAGE, verifyPassword } from './auth.js';
export type { PasswordThrottle } from './throttle.js';
