/** The password length rule, shown as the user types (user.ts's PasswordSchema enforces it; kept free of zod for the screens). */
export const PASSWORD_MIN_LENGTH = 8;
