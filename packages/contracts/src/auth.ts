import { z } from 'zod';
import { ROLES } from './roles.ts';
import { LOCALES } from './i18n.ts';
import { AREA_LEVELS } from './areas.ts';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** 'cookie' (browser, default) sets an httpOnly cookie; 'bearer' returns a token for the API and CLI. */
  mode: z.enum(['cookie', 'bearer']).default('cookie'),
});

export const GrantView = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  areaId: z.string(),
  areaCode: z.string(),
  areaName: z.string(),
  areaLevel: z.enum(AREA_LEVELS),
});
export type GrantView = z.infer<typeof GrantView>;

export const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(LOCALES),
  mustChangePassword: z.boolean(),
  passwordExpired: z.boolean(),
  grants: z.array(GrantView),
  permissions: z.array(z.string()),
  sessionIdleMinutes: z.number().int(),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({
  user: Me,
  token: z.string().optional(),
  expiresAt: z.string(),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const OkResponse = z.object({ ok: z.literal(true) });
