import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Me } from '@wangge/contracts';
import type { Clock } from '../shared/clock.ts';
import { DAY, MINUTE } from '../shared/clock.ts';
import { DomainError, invalid } from '../shared/errors.ts';
import type { GrantRecord, PasswordHasher, Ports, Store, UserRecord } from '../ports.ts';
import type { Actor } from './auth.types.ts';
import { afterFailure, afterSuccess, isLocked, minutesLeft, type LockoutConfig } from './lockout.rules.ts';
import { assertPasswordPolicy } from './password.rules.ts';
import { permissionsOf } from './auth.policy.ts';

export interface AuthConfig {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  passwordMaxAgeDays: number;
  lockout: LockoutConfig;
}

export interface AuthDeps {
  store: Store;
  hasher: PasswordHasher;
  clock: Clock;
  config: AuthConfig;
}

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// A real argon2 hash of a random string: verifying against it when the user is unknown makes
// "no such user" take as long as "wrong password", so timing does not reveal usernames.
let dummyHash: Promise<string> | null = null;

export async function login(
  deps: AuthDeps,
  input: { username: string; password: string; mode: 'cookie' | 'bearer' },
  ctx: RequestContext,
): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
  const now = deps.clock.now();
  const user = await deps.store.users.findByUsername(input.username);
  const audit = (tx: Ports, action: string, u: UserRecord | null, diff: unknown = null) =>
    tx.audit.append({
      at: now, actorId: u?.id ?? null, actorName: u?.username ?? input.username, action, entityType: 'user',
      entityId: u?.id ?? null, areaId: u?.homeAreaId ?? null, diff, ip: ctx.ip, requestId: ctx.requestId,
    });

  if (!user) {
    dummyHash ??= deps.hasher.hash(randomBytes(16).toString('hex'));
    await deps.hasher.verify(await dummyHash, input.password);
    await deps.store.transaction((tx) => audit(tx, 'auth.login_failed', null, { reason: 'unknown_user' }));
    throw new DomainError('auth.invalid_credentials', 'unauthenticated');
  }
  if (isLocked(user, now)) {
    await deps.store.transaction((tx) => audit(tx, 'auth.login_failed', user, { reason: 'locked' }));
    throw new DomainError('auth.account_locked', 'locked', { minutes: minutesLeft(user, now) });
  }
  const passwordOk = await deps.hasher.verify(user.passwordHash, input.password);
  if (!passwordOk) {
    const next = afterFailure(user, now, deps.config.lockout);
    await deps.store.transaction(async (tx) => {
      await tx.users.update(user.id, { failedCount: next.failedCount, lockedUntil: next.lockedUntil });
      await audit(tx, 'auth.login_failed', user, { reason: 'wrong_password', failedCount: next.failedCount });
      if (next.lockedNow) await audit(tx, 'auth.account_locked', user, { until: next.lockedUntil?.toISOString() });
    });
    if (next.lockedNow) throw new DomainError('auth.account_locked', 'locked', { minutes: deps.config.lockout.lockMinutes });
    throw new DomainError('auth.invalid_credentials', 'unauthenticated');
  }
  if (user.disabled) {
    await deps.store.transaction((tx) => audit(tx, 'auth.login_failed', user, { reason: 'disabled' }));
    throw new DomainError('auth.account_disabled', 'forbidden');
  }

  const token = randomBytes(32).toString('base64url');
  const sessionId = randomUUID();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { ...afterSuccess(), lastLoginAt: now });
    await tx.sessions.insert({
      id: sessionId, userId: user.id, kind: input.mode, createdAt: now, lastSeenAt: now, revokedAt: null,
      tokenHash: hashToken(token), ip: ctx.ip, userAgent: ctx.userAgent,
    });
    await audit(tx, 'auth.login', user, { mode: input.mode });
  });
  const actor = await buildActor(deps.store, user, sessionId, ctx);
  return { token, expiresAt: sessionExpiry(deps.config, now, now), actor };
}

function sessionExpiry(cfg: AuthConfig, createdAt: Date, lastSeenAt: Date): Date {
  const idle = lastSeenAt.getTime() + cfg.sessionIdleMinutes * MINUTE;
  const absolute = createdAt.getTime() + cfg.sessionMaxHours * 60 * MINUTE;
  return new Date(Math.min(idle, absolute));
}

async function buildActor(store: Ports, user: UserRecord, sessionId: string | null, ctx: RequestContext): Promise<Actor> {
  return actorOf(user, await store.users.grants(user.id), sessionId, ctx);
}

function actorOf(user: UserRecord, grants: GrantRecord[], sessionId: string | null, ctx: RequestContext): Actor {
  return {
    userId: user.id, username: user.username, displayName: user.displayName, locale: user.locale,
    grants: grants.map((g) => ({ id: g.id, role: g.role, areaId: g.areaId, areaPath: g.areaPath })),
    mustChangePassword: user.mustChangePassword, sessionId, ip: ctx.ip, requestId: ctx.requestId,
  };
}

/**
 * Turns a session token into the Actor of this request. An idle or too old session is revoked
 * server-side; last-seen is written at most once a minute so reads stay reads.
 */
export async function authenticate(deps: AuthDeps, token: string, ctx: RequestContext): Promise<Actor> {
  const now = deps.clock.now();
  const found = await deps.store.sessions.findWithUser(hashToken(token));
  const session = found?.session;
  if (!found || !session || session.revokedAt) throw new DomainError('auth.required', 'unauthenticated');
  if (sessionExpiry(deps.config, session.createdAt, session.lastSeenAt).getTime() <= now.getTime()) {
    await deps.store.sessions.revoke(session.id, now);
    throw new DomainError('auth.session_expired', 'unauthenticated');
  }
  const user = found.user;
  if (!user || user.disabled) {
    await deps.store.sessions.revoke(session.id, now);
    throw new DomainError('auth.session_expired', 'unauthenticated');
  }
  if (now.getTime() - session.lastSeenAt.getTime() > MINUTE) await deps.store.sessions.touch(session.id, now);
  return actorOf(user, found.grants, session.id, ctx);
}

export async function logout(deps: AuthDeps, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  const now = deps.clock.now();
  const sessionId = actor.sessionId;
  await deps.store.transaction(async (tx) => {
    await tx.sessions.revoke(sessionId, now);
    await tx.audit.append({
      at: now, actorId: actor.userId, actorName: actor.username, action: 'auth.logout', entityType: 'user',
      entityId: actor.userId, areaId: null, diff: null, ip: actor.ip, requestId: actor.requestId,
    });
  });
}

export async function me(deps: AuthDeps, actor: Actor): Promise<Me> {
  const user = await deps.store.users.findById(actor.userId);
  if (!user) throw new DomainError('auth.required', 'unauthenticated');
  const grants = await deps.store.users.grants(actor.userId);
  const now = deps.clock.now();
  const expired =
    user.passwordChangedAt === null || now.getTime() - user.passwordChangedAt.getTime() > deps.config.passwordMaxAgeDays * DAY;
  return {
    id: user.id, username: user.username, displayName: user.displayName, locale: user.locale,
    mustChangePassword: user.mustChangePassword, passwordExpired: expired,
    grants: grants.map(({ areaPath: _p, ...g }) => g), permissions: permissionsOf(actor),
    sessionIdleMinutes: deps.config.sessionIdleMinutes,
  };
}

/** The user changes their own password; every other session of theirs is signed out. */
export async function changePassword(
  deps: AuthDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await deps.store.users.findById(actor.userId);
  if (!user) throw new DomainError('auth.required', 'unauthenticated');
  if (!(await deps.hasher.verify(user.passwordHash, input.currentPassword))) throw invalid('password.wrong_current');
  if (input.currentPassword === input.newPassword) throw invalid('password.same_as_old');
  assertPasswordPolicy(input.newPassword, user.username);
  const passwordHash = await deps.hasher.hash(input.newPassword);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { passwordHash, mustChangePassword: false, passwordChangedAt: now });
    await tx.sessions.revokeAllForUser(user.id, now, actor.sessionId ?? undefined);
    await tx.audit.append({
      at: now, actorId: actor.userId, actorName: actor.username, action: 'auth.password_changed', entityType: 'user',
      entityId: user.id, areaId: user.homeAreaId, diff: null, ip: actor.ip, requestId: actor.requestId,
    });
  });
}
