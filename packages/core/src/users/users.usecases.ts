import type { Locale, Role, UserView } from '@wangge/contracts';
import type { Clock } from '../shared/clock.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import type { AreaRecord, PasswordHasher, Ports, Store, UserFilter, UserRecord } from '../ports.ts';
import type { Actor } from '../auth/auth.types.ts';
import { authorize, requireSomewhere } from '../auth/auth.policy.ts';
import { assertPasswordPolicy } from '../auth/password.rules.ts';

export interface UsersDeps {
  store: Store;
  hasher: PasswordHasher;
  clock: Clock;
}

const auditOf = (actor: Actor, at: Date) => (tx: Ports, action: string, user: { id: string; homeAreaId: string }, diff: unknown) =>
  tx.audit.append({
    at, actorId: actor.userId, actorName: actor.username, action, entityType: 'user', entityId: user.id,
    areaId: user.homeAreaId, diff, ip: actor.ip, requestId: actor.requestId,
  });

async function visibleArea(store: Ports, actor: Actor, areaId: string, permission: 'user.manage'): Promise<AreaRecord> {
  const area = await store.areas.findById(areaId);
  if (!area) throw notFound('area.not_found');
  authorize(actor, permission, area.path, 'area.not_found');
  return area;
}

async function targetUser(store: Ports, actor: Actor, id: string, permission: 'user.read' | 'user.manage'): Promise<UserRecord> {
  const user = await store.users.findById(id);
  if (!user) throw notFound('user.not_found');
  authorize(actor, permission, user.homeAreaPath, 'user.not_found');
  return user;
}

/** The presented user after a change the actor was allowed to make (no second permission check). */
async function viewOf(store: Ports, id: string): Promise<UserView> {
  const view = await store.users.view(id);
  if (!view) throw notFound('user.not_found');
  return view;
}

export async function listUsers(deps: UsersDeps, actor: Actor, filter: Omit<UserFilter, 'areaPath'> & { areaId?: string | undefined }) {
  const scope = requireSomewhere(actor, 'user.read');
  let areaPath: string | undefined;
  if (filter.areaId) {
    const area = await deps.store.areas.findById(filter.areaId);
    if (!area) throw notFound('area.not_found');
    authorize(actor, 'user.read', area.path, 'area.not_found');
    areaPath = area.path;
  }
  return deps.store.users.list(scope, { ...filter, areaPath });
}

export async function getUser(deps: UsersDeps, actor: Actor, id: string): Promise<UserView> {
  await targetUser(deps.store, actor, id, 'user.read');
  return viewOf(deps.store, id);
}

export async function createUser(
  deps: UsersDeps,
  actor: Actor,
  input: { username: string; displayName: string; password: string; locale: Locale; role: Role; areaId: string },
): Promise<UserView> {
  const area = await visibleArea(deps.store, actor, input.areaId, 'user.manage');
  assertPasswordPolicy(input.password, input.username);
  if (await deps.store.users.findByUsername(input.username)) throw conflict('user.username_taken', { username: input.username });
  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  const id = await deps.store.transaction(async (tx) => {
    // The password was chosen by an administrator: the user must replace it at first login.
    const user = await tx.users.insert({
      username: input.username, displayName: input.displayName, locale: input.locale, passwordHash,
      mustChangePassword: true, passwordChangedAt: null, homeAreaId: area.id, createdAt: now,
    });
    await tx.users.addGrant(user.id, input.role, area.id, now);
    await auditOf(actor, now)(tx, 'user.created', user, {
      after: { username: input.username, displayName: input.displayName, locale: input.locale, grant: { role: input.role, areaId: area.id } },
    });
    return user.id;
  });
  return viewOf(deps.store, id);
}

export async function updateUser(
  deps: UsersDeps,
  actor: Actor,
  id: string,
  patch: { displayName?: string | undefined; locale?: Locale | undefined; disabled?: boolean | undefined },
): Promise<UserView> {
  const user = await targetUser(deps.store, actor, id, 'user.manage');
  if (patch.disabled === true && user.id === actor.userId) throw invalid('user.cannot_disable_self');
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['displayName', 'locale', 'disabled'] as const) {
    if (patch[key] !== undefined && patch[key] !== user[key]) {
      before[key] = user[key];
      after[key] = patch[key];
    }
  }
  if (Object.keys(after).length > 0) {
    const now = deps.clock.now();
    await deps.store.transaction(async (tx) => {
      await tx.users.update(id, after);
      if (after.disabled === true) await tx.sessions.revokeAllForUser(id, now);
      await auditOf(actor, now)(tx, after.disabled === true ? 'user.disabled' : 'user.updated', user, { before, after });
    });
  }
  return viewOf(deps.store, id);
}

/** An administrator sets a new password: it is an initial password again, sessions end, any lock is lifted. */
export async function resetPassword(deps: UsersDeps, actor: Actor, id: string, newPassword: string): Promise<void> {
  const user = await targetUser(deps.store, actor, id, 'user.manage');
  assertPasswordPolicy(newPassword, user.username);
  const passwordHash = await deps.hasher.hash(newPassword);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(id, { passwordHash, mustChangePassword: true, passwordChangedAt: null, failedCount: 0, lockedUntil: null });
    await tx.sessions.revokeAllForUser(id, now);
    await auditOf(actor, now)(tx, 'user.password_reset', user, null);
  });
}

export async function addGrant(deps: UsersDeps, actor: Actor, userId: string, role: Role, areaId: string): Promise<UserView> {
  const user = await targetUser(deps.store, actor, userId, 'user.manage');
  const area = await visibleArea(deps.store, actor, areaId, 'user.manage');
  const existing = await deps.store.users.grants(userId);
  if (existing.some((g) => g.role === role && g.areaId === area.id)) throw conflict('user.grant_exists');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const grant = await tx.users.addGrant(userId, role, area.id, now);
    await auditOf(actor, now)(tx, 'user.grant_added', user, { after: { grantId: grant.id, role, areaId: area.id } });
  });
  return viewOf(deps.store, userId);
}

export async function removeGrant(deps: UsersDeps, actor: Actor, userId: string, grantId: string): Promise<UserView> {
  const user = await targetUser(deps.store, actor, userId, 'user.manage');
  const grants = await deps.store.users.grants(userId);
  const grant = grants.find((g) => g.id === grantId);
  if (!grant) throw notFound('user.grant_not_found');
  authorize(actor, 'user.manage', grant.areaPath, 'user.grant_not_found');
  if (grants.length === 1) throw invalid('user.last_grant');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.removeGrant(userId, grantId);
    await auditOf(actor, now)(tx, 'user.grant_removed', user, { before: { grantId, role: grant.role, areaId: grant.areaId } });
  });
  return viewOf(deps.store, userId);
}
