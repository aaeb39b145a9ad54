import type { Role } from '@wangge/contracts';
import { forbidden, notFound } from '../shared/errors.ts';
import type { ErrorCode } from '@wangge/contracts';
import type { Actor, AreaScope } from './auth.types.ts';
import { isWithin } from '../areas/areas.rules.ts';

/**
 * What each role may do. One table, one place: routes and use-cases ask `can`/`authorize`,
 * the console asks /api/auth/me for the permissions of the signed-in user.
 * Every grant covers its area and everything below it.
 */
export const PERMISSIONS = [
  'area.read',
  'area.manage',
  'user.read',
  'user.manage',
  'audit.read',
  'grid.manage',
  'grid.staff.manage',
  'building.manage',
  /** Cases: report one; read those in the area; accept, route, escalate, close (the owning level); handle as a unit member; verify on site; supervise; configure categories, routing, calendar and webhooks. */
  'case.report',
  'case.read',
  'case.dispatch',
  'case.handle',
  'case.verify',
  'case.supervise',
  'case.configure',
  /** See a reporter's full phone number (a deliberate, audited request). */
  'case.reveal',
  /** Registry: read the ledgers and summaries; keep them (forms); import and roll back; see a full ID number or phone (audited); see special-group (特殊人群) records; configure code tables and tags. */
  'registry.read',
  'registry.manage',
  'registry.import',
  'registry.reveal',
  'registry.special',
  'registry.configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  // The system administrator configures; cases carry residents' personal data and are worked by the business roles.
  system_admin: ['area.read', 'area.manage', 'user.read', 'user.manage', 'audit.read', 'grid.manage', 'grid.staff.manage', 'building.manage', 'case.configure', 'registry.configure'],
  leader: ['area.read', 'user.read', 'case.read', 'case.supervise', 'registry.read'],
  command_center: ['area.read', 'user.read', 'case.report', 'case.read', 'case.dispatch', 'case.supervise', 'case.configure', 'case.reveal', 'registry.read'],
  // Streets draw and adjust their grids; communities keep the rosters and buildings; grid staff place buildings.
  street_center: ['area.read', 'user.read', 'grid.manage', 'grid.staff.manage', 'building.manage', 'case.report', 'case.read', 'case.dispatch', 'case.supervise', 'case.reveal',
    'registry.read', 'registry.manage', 'registry.import', 'registry.reveal', 'registry.special'],
  community_staff: ['area.read', 'user.read', 'grid.staff.manage', 'building.manage', 'case.report', 'case.read', 'case.dispatch', 'case.handle', 'case.verify', 'case.reveal',
    'registry.read', 'registry.manage', 'registry.import', 'registry.reveal', 'registry.special'],
  // Registry: grid staff collect and keep it (一次采集); communities and streets also import; special-group records (综治) are for grid leaders up.
  // Grid leaders check, sort and route what their workers collect; grid staff report, settle small matters and verify.
  grid_leader: ['area.read', 'user.read', 'building.manage', 'case.report', 'case.read', 'case.dispatch', 'case.verify', 'registry.read', 'registry.manage', 'registry.reveal', 'registry.special'],
  grid_worker: ['area.read', 'building.manage', 'case.report', 'case.read', 'case.verify', 'registry.read', 'registry.manage', 'registry.reveal'],
  // Department handlers see only the cases dispatched to their unit (the repository adds that condition).
  dept_handler: ['area.read', 'case.handle', 'case.reveal'],
};

/** The roles that hold a permission (for "who is told": the dispatchers of a level, its supervisors…). */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(rolePermissions) as Role[]).filter((r) => rolePermissions[r].includes(permission));
}

export function roleCan(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** Permissions the actor holds somewhere (for the console to show or hide menus). */
export function permissionsOf(actor: Pick<Actor, 'grants'>): Permission[] {
  return PERMISSIONS.filter((p) => actor.grants.some((g) => roleCan(g.role, p)));
}

/** Everything the actor can see at all: the union of its grants' subtrees. */
export function visibleScope(actor: Pick<Actor, 'grants'>): AreaScope {
  return { paths: minimalPaths(actor.grants.map((g) => g.areaPath)) };
}

/** Where the actor holds `permission`: the repository turns this into a path condition in SQL. */
export function scopeFor(actor: Pick<Actor, 'grants'>, permission: Permission): AreaScope {
  return { paths: minimalPaths(actor.grants.filter((g) => roleCan(g.role, permission)).map((g) => g.areaPath)) };
}

export function inScope(scope: AreaScope, areaPath: string): boolean {
  return scope.paths.some((p) => isWithin(areaPath, p));
}

export function can(actor: Pick<Actor, 'grants'>, permission: Permission, areaPath: string): boolean {
  return actor.grants.some((g) => roleCan(g.role, permission) && isWithin(areaPath, g.areaPath));
}

/**
 * Throws unless the actor may do `permission` on something that lives at `areaPath`.
 * Outside everything the actor can see → not found (we do not confirm it exists);
 * visible but not allowed → forbidden.
 */
export function authorize(actor: Pick<Actor, 'grants'>, permission: Permission, areaPath: string, hidden: ErrorCode): void {
  if (!inScope(visibleScope(actor), areaPath)) throw notFound(hidden);
  if (!can(actor, permission, areaPath)) throw forbidden();
}

/** Whether the actor holds the permission on at least one area. */
export function holdsSomewhere(actor: Pick<Actor, 'grants'>, permission: Permission): boolean {
  return actor.grants.some((g) => roleCan(g.role, permission));
}

/** Throws forbidden unless the actor holds the permission on at least one area. */
export function requireSomewhere(actor: Pick<Actor, 'grants'>, permission: Permission): AreaScope {
  const scope = scopeFor(actor, permission);
  if (scope.paths.length === 0) throw forbidden();
  return scope;
}

/** Drops paths covered by another path in the list (a grant on a street makes one on its community redundant). */
export function minimalPaths(paths: string[]): string[] {
  const unique = [...new Set(paths)].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const p of unique) if (!out.some((q) => isWithin(p, q))) out.push(p);
  return out;
}
