import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from './password.js';
import { ROLES } from './roles.js';

export * from './password.js';

export const UserViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  affiliation: z.string(),
});
export type UserView = z.infer<typeof UserViewSchema>;

/** Password rules, checked in the UI as the user types and again by the service. */
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `密码至少 ${PASSWORD_MIN_LENGTH} 位`)
  .max(128, '密码不能超过 128 位')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');

export const UsernameSchema = z
  .string()
  .trim()
  .min(2, '登录名至少 2 个字符')
  .max(32, '登录名不能超过 32 个字符')
  .regex(/^[A-Za-z0-9_.\-\u4e00-\u9fa5]+$/, '登录名只能包含字母、数字、汉字和 _ . -');
