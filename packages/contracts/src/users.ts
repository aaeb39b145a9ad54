import { z } from 'zod';
import { ROLES } from './roles.ts';
import { LOCALES } from './i18n.ts';
import { GrantView } from './auth.ts';
import { AreaId } from './areas.ts';

export const Username = z.string().trim().regex(/^[A-Za-z0-9_.-]{3,32}$/, 'username: 3–32 letters, digits, _ . -');

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(LOCALES),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  homeAreaId: z.string(),
  homeAreaName: z.string(),
  grants: z.array(GrantView),
});
export type UserView = z.infer<typeof UserView>;

export const UserListQuery = z.strictObject({
  q: z.string().trim().max(64).optional(),
  areaId: AreaId.optional(),
  role: z.enum(ROLES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const UserList = z.object({ items: z.array(UserView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const CreateUserBody = z.strictObject({
  username: Username,
  displayName: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  locale: z.enum(LOCALES).default('zh-CN'),
  role: z.enum(ROLES),
  areaId: AreaId,
});

/** What a client sends to create a user (defaults not yet applied). */
export type CreateUserInput = z.input<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: z.string().trim().min(1).max(64).optional(),
  locale: z.enum(LOCALES).optional(),
  disabled: z.boolean().optional(),
});

export const ResetPasswordBody = z.strictObject({ newPassword: z.string().min(1).max(256) });

export const GrantBody = z.strictObject({ role: z.enum(ROLES), areaId: AreaId });

export const UserIdParams = z.strictObject({ id: z.string().uuid() });
export const GrantParams = z.strictObject({ id: z.string().uuid(), grantId: z.string().uuid() });
