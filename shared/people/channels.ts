/** The people channels of the API contract (merged in shared/contract/index.ts). */
import { z } from 'zod';
import { PastUnitsSchema, UserDetailSchema } from '../panel/panel.js';
import { ROLES } from './roles.js';
import { PasswordSchema, UsernameSchema, UserViewSchema } from './user.js';
import { channel, Empty, Ok, id } from '../contract/channel.js';

export const peopleChannels = {
  'auth:status': channel({
    input: Empty,
    output: z.object({ needsSetup: z.boolean(), user: UserViewSchema.nullable() }),
    access: 'public',
    scope: 'none',
    writes: 'none',
  }),
  /** First run only: creates the first account (organiser) and logs it in. */
  'auth:setup': channel({
    input: z.strictObject({
      username: UsernameSchema,
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长'),
      affiliation: z.string().trim().max(200).default(''),
      password: PasswordSchema,
    }),
    output: UserViewSchema,
    access: 'public',
    scope: 'none',
    writes: 'workstation',
  }),
  'auth:login': channel({
    input: z.strictObject({ username: z.string().trim().min(1, '请填写登录名'), password: z.string().min(1, '请填写密码') }),
    output: UserViewSchema,
    access: 'public',
    scope: 'none',
    writes: 'workstation',
  }),
  'auth:logout': channel({ input: Empty, output: Ok, access: 'user', scope: 'none', writes: 'none' }),
  'user:list': channel({ input: Empty, output: z.array(UserViewSchema), access: 'user', scope: 'none', writes: 'none' }),
  'user:create': channel({
    input: z.strictObject({
      username: UsernameSchema,
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长'),
      role: z.enum(ROLES, { error: '请选择角色' }),
      affiliation: z.string().trim().max(200).default(''),
      password: PasswordSchema,
      legalProfessional: z.boolean().default(false),
      pastUnits: PastUnitsSchema.default([]),
    }),
    output: UserViewSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** Every account with its state (disabled, locked), for the people screen. */
  'user:directory': channel({
    input: Empty,
    output: z.array(UserDetailSchema),
    access: ['organiser', 'lead'],
    scope: 'none',
    writes: 'none',
  }),
  'user:update': channel({
    input: z.strictObject({
      userId: id('用户'),
      displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名过长').optional(),
      role: z.enum(ROLES, { error: '请选择角色' }).optional(),
      affiliation: z.string().trim().max(200, '单位名称过长').optional(),
      pastUnits: PastUnitsSchema.optional(),
      legalProfessional: z.boolean().optional(),
    }),
    output: UserDetailSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'user:setDisabled': channel({
    input: z.strictObject({ userId: id('用户'), disabled: z.boolean() }),
    output: UserDetailSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  /** The organiser sets a new password (the person forgot theirs); also lifts a lock-out. */
  'user:resetPassword': channel({
    input: z.strictObject({ userId: id('用户'), password: PasswordSchema }),
    output: UserDetailSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'user:unlock': channel({
    input: z.strictObject({ userId: id('用户') }),
    output: UserDetailSchema,
    access: ['organiser'],
    scope: 'none',
    writes: 'workstation',
  }),
  'user:changePassword': channel({
    input: z.strictObject({ currentPassword: z.string().min(1, '请填写当前密码'), newPassword: PasswordSchema }),
    output: Ok,
    access: 'user',
    scope: 'none',
    writes: 'workstation',
  }),
} as const;
