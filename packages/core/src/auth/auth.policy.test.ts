import { describe, it, expect } from 'vitest';
import { ROLES, type Role } from '@wangge/contracts';
import {
  PERMISSIONS,
  authorize,
  can,
  inScope,
  minimalPaths,
  permissionsOf,
  requireSomewhere,
  roleCan,
  scopeFor,
  visibleScope,
  type Permission,
} from './auth.policy.ts';
import type { Grant } from './auth.types.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * The expected abilities, written out by hand: a change to `rolePermissions` must be a change
 * to this table too (that is the point — it is the security matrix a reviewer signs off).
 */
const EXPECTED: Record<Role, Record<Permission, boolean>> = {
  system_admin: { 'area.read': true, 'area.manage': true, 'user.read': true, 'user.manage': true, 'audit.read': true,
    'grid.manage': true, 'grid.staff.manage': true, 'building.manage': true,
    'case.report': false, 'case.read': false, 'case.dispatch': false, 'case.handle': false, 'case.verify': false, 'case.supervise': false, 'case.configure': true, 'case.reveal': false,
    'registry.read': false, 'registry.manage': false, 'registry.import': false, 'registry.reveal': false, 'registry.special': false, 'registry.configure': true },
  leader: { 'area.read': true, 'area.manage': false, 'user.read': true, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': false, 'building.manage': false,
    'case.report': false, 'case.read': true, 'case.dispatch': false, 'case.handle': false, 'case.verify': false, 'case.supervise': true, 'case.configure': false, 'case.reveal': false,
    'registry.read': true, 'registry.manage': false, 'registry.import': false, 'registry.reveal': false, 'registry.special': false, 'registry.configure': false },
  command_center: { 'area.read': true, 'area.manage': false, 'user.read': true, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': false, 'building.manage': false,
    'case.report': true, 'case.read': true, 'case.dispatch': true, 'case.handle': false, 'case.verify': false, 'case.supervise': true, 'case.configure': true, 'case.reveal': true,
    'registry.read': true, 'registry.manage': false, 'registry.import': false, 'registry.reveal': false, 'registry.special': false, 'registry.configure': false },
  street_center: { 'area.read': true, 'area.manage': false, 'user.read': true, 'user.manage': false, 'audit.read': false,
    'grid.manage': true, 'grid.staff.manage': true, 'building.manage': true,
    'case.report': true, 'case.read': true, 'case.dispatch': true, 'case.handle': false, 'case.verify': false, 'case.supervise': true, 'case.configure': false, 'case.reveal': true,
    'registry.read': true, 'registry.manage': true, 'registry.import': true, 'registry.reveal': true, 'registry.special': true, 'registry.configure': false },
  community_staff: { 'area.read': true, 'area.manage': false, 'user.read': true, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': true, 'building.manage': true,
    'case.report': true, 'case.read': true, 'case.dispatch': true, 'case.handle': true, 'case.verify': true, 'case.supervise': false, 'case.configure': false, 'case.reveal': true,
    'registry.read': true, 'registry.manage': true, 'registry.import': true, 'registry.reveal': true, 'registry.special': true, 'registry.configure': false },
  grid_leader: { 'area.read': true, 'area.manage': false, 'user.read': true, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': false, 'building.manage': true,
    'case.report': true, 'case.read': true, 'case.dispatch': true, 'case.handle': false, 'case.verify': true, 'case.supervise': false, 'case.configure': false, 'case.reveal': false,
    'registry.read': true, 'registry.manage': true, 'registry.import': false, 'registry.reveal': true, 'registry.special': true, 'registry.configure': false },
  grid_worker: { 'area.read': true, 'area.manage': false, 'user.read': false, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': false, 'building.manage': true,
    'case.report': true, 'case.read': true, 'case.dispatch': false, 'case.handle': false, 'case.verify': true, 'case.supervise': false, 'case.configure': false, 'case.reveal': false,
    'registry.read': true, 'registry.manage': true, 'registry.import': false, 'registry.reveal': true, 'registry.special': false, 'registry.configure': false },
  dept_handler: { 'area.read': true, 'area.manage': false, 'user.read': false, 'user.manage': false, 'audit.read': false,
    'grid.manage': false, 'grid.staff.manage': false, 'building.manage': false,
    'case.report': false, 'case.read': false, 'case.dispatch': false, 'case.handle': true, 'case.verify': false, 'case.supervise': false, 'case.configure': false, 'case.reveal': true,
    'registry.read': false, 'registry.manage': false, 'registry.import': false, 'registry.reveal': false, 'registry.special': false, 'registry.configure': false },
};

let grantSeq = 0;
const grant = (role: Role, areaPath: string): Grant => ({
  id: `g${++grantSeq}`,
  role,
  areaId: areaPath.split('.').at(-1)!,
  areaPath,
});
const actorWith = (...grants: Grant[]) => ({ grants });

/** Runs `fn` and returns the DomainError it throws (fails the test if it throws nothing or something else). */
function domainErrorOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

describe('role × permission table', () => {
  it('covers exactly the 8 roles and 22 permissions', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
    expect(ROLES).toHaveLength(8);
    expect([...PERMISSIONS].sort()).toEqual(['area.manage', 'area.read', 'audit.read', 'building.manage', 'grid.manage', 'grid.staff.manage', 'user.manage', 'user.read',
      'case.configure', 'case.dispatch', 'case.handle', 'case.read', 'case.report', 'case.reveal', 'case.supervise', 'case.verify',
      'registry.read', 'registry.manage', 'registry.import', 'registry.reveal', 'registry.special', 'registry.configure'].sort());
  });

  for (const role of Object.keys(EXPECTED) as Role[]) {
    for (const permission of Object.keys(EXPECTED[role]) as Permission[]) {
      const expected = EXPECTED[role][permission];
      it(`${role} ${expected ? 'may' : 'may not'} ${permission}`, () => {
        expect(roleCan(role, permission)).toBe(expected);
        const actor = actorWith(grant(role, '1.2'));
        // On its own area and below it the grant decides; never above it or beside it.
        expect(can(actor, permission, '1.2')).toBe(expected);
        expect(can(actor, permission, '1.2.5.9')).toBe(expected);
        expect(can(actor, permission, '1')).toBe(false);
        expect(can(actor, permission, '1.3')).toBe(false);
        if (expected) {
          expect(() => authorize(actor, permission, '1.2.5', 'area.not_found')).not.toThrow();
        } else {
          expect(domainErrorOf(() => authorize(actor, permission, '1.2.5', 'area.not_found')).kind).toBe('forbidden');
        }
      });
    }
  }

  it('permissionsOf lists the union of the permissions of all grants, in PERMISSIONS order', () => {
    expect(permissionsOf(actorWith(grant('grid_worker', '1.2')))).toEqual(['area.read', 'building.manage', 'case.report', 'case.read', 'case.verify', 'registry.read', 'registry.manage', 'registry.reveal']);
    expect(permissionsOf(actorWith(grant('grid_worker', '1.2'), grant('leader', '1.3')))).toEqual(['area.read', 'user.read', 'building.manage', 'case.report', 'case.read', 'case.verify', 'case.supervise', 'registry.read', 'registry.manage', 'registry.reveal']);
    expect(permissionsOf(actorWith(grant('system_admin', '1')))).toEqual([
      'area.read', 'area.manage', 'user.read', 'user.manage', 'audit.read', 'grid.manage', 'grid.staff.manage', 'building.manage', 'case.configure', 'registry.configure',
    ]);
    expect(permissionsOf(actorWith())).toEqual([]);
  });
});

describe('scope semantics', () => {
  const admin = actorWith(grant('system_admin', '1.2'));

  it('a grant on 1.2 covers 1.2 and 1.2.5 but not 1.20 or 1', () => {
    expect(can(admin, 'user.manage', '1.2')).toBe(true);
    expect(can(admin, 'user.manage', '1.2.5')).toBe(true);
    expect(can(admin, 'user.manage', '1.20')).toBe(false); // a string prefix, not a subtree
    expect(can(admin, 'user.manage', '1.20.5')).toBe(false);
    expect(can(admin, 'user.manage', '1')).toBe(false);
  });

  it('authorize passes inside the grant and hides everything outside it as not found', () => {
    expect(() => authorize(admin, 'user.manage', '1.2', 'user.not_found')).not.toThrow();
    expect(() => authorize(admin, 'user.manage', '1.2.5', 'user.not_found')).not.toThrow();
    for (const outside of ['1.20', '1', '1.3.2', '7']) {
      const e = domainErrorOf(() => authorize(admin, 'user.manage', outside, 'user.not_found'));
      expect(e.kind).toBe('not_found');
      expect(e.code).toBe('user.not_found'); // the caller's code: we do not confirm the thing exists
    }
  });

  it('visible but not permitted → forbidden, not not_found', () => {
    const worker = actorWith(grant('grid_worker', '1.2'));
    const e = domainErrorOf(() => authorize(worker, 'user.read', '1.2.5', 'user.not_found'));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('auth.forbidden');
    // Outside what the worker sees at all, it stays not_found even for a permission it lacks.
    expect(domainErrorOf(() => authorize(worker, 'user.read', '1.20', 'user.not_found')).kind).toBe('not_found');
  });

  it('a permission held on one subtree does not leak into another visible one', () => {
    // Admin on 1.2, only grid worker on 1.3: 1.3 is visible, but managing users there is forbidden.
    const actor = actorWith(grant('system_admin', '1.2'), grant('grid_worker', '1.3'));
    expect(() => authorize(actor, 'user.manage', '1.2.7', 'user.not_found')).not.toThrow();
    expect(domainErrorOf(() => authorize(actor, 'user.manage', '1.3.7', 'user.not_found')).kind).toBe('forbidden');
    expect(domainErrorOf(() => authorize(actor, 'user.manage', '1.4', 'user.not_found')).kind).toBe('not_found');
  });

  it('an actor without grants sees nothing', () => {
    const nobody = actorWith();
    expect(can(nobody, 'area.read', '1')).toBe(false);
    expect(domainErrorOf(() => authorize(nobody, 'area.read', '1', 'area.not_found')).kind).toBe('not_found');
    expect(domainErrorOf(() => requireSomewhere(nobody, 'area.read')).kind).toBe('forbidden');
  });

  it('inScope follows subtree semantics too', () => {
    expect(inScope({ paths: ['1.2'] }, '1.2')).toBe(true);
    expect(inScope({ paths: ['1.2'] }, '1.2.5')).toBe(true);
    expect(inScope({ paths: ['1.2'] }, '1.20')).toBe(false);
    expect(inScope({ paths: ['1.2'] }, '1')).toBe(false);
    expect(inScope({ paths: [] }, '1')).toBe(false);
  });
});

describe('minimalPaths', () => {
  it('drops paths covered by another path and duplicates', () => {
    expect(minimalPaths(['1.2.5', '1.2', '1.2.5.9', '1.2'])).toEqual(['1.2']);
  });

  it('keeps siblings and string-prefix look-alikes', () => {
    expect(minimalPaths(['1.20', '1.2', '1.3.4']).sort()).toEqual(['1.2', '1.20', '1.3.4']);
  });

  it('a root covers everything', () => {
    expect(minimalPaths(['1.2.3', '1', '1.9'])).toEqual(['1']);
    expect(minimalPaths([])).toEqual([]);
  });

  it('visibleScope is the minimal union of all grant paths', () => {
    const actor = actorWith(grant('grid_worker', '1.2.5'), grant('leader', '1.2'), grant('dept_handler', '1.3'));
    expect(visibleScope(actor).paths.sort()).toEqual(['1.2', '1.3']);
  });
});

describe('scopeFor', () => {
  it('only includes grants whose role has the permission', () => {
    const actor = actorWith(grant('grid_worker', '1.2'), grant('leader', '1.3'), grant('system_admin', '1.4.1'));
    expect(scopeFor(actor, 'area.read').paths.sort()).toEqual(['1.2', '1.3', '1.4.1']);
    expect(scopeFor(actor, 'user.read').paths.sort()).toEqual(['1.3', '1.4.1']);
    expect(scopeFor(actor, 'user.manage').paths).toEqual(['1.4.1']);
    expect(scopeFor(actor, 'audit.read').paths).toEqual(['1.4.1']);
  });

  it('is minimal: a permitted grant below another permitted grant is dropped', () => {
    const actor = actorWith(grant('leader', '1.2'), grant('community_staff', '1.2.5'), grant('grid_worker', '1'));
    expect(scopeFor(actor, 'user.read').paths).toEqual(['1.2']);
    // For area.read the grid worker's grant on the root covers everything.
    expect(scopeFor(actor, 'area.read').paths).toEqual(['1']);
  });

  it('requireSomewhere returns the scope or throws forbidden when it is empty', () => {
    const worker = actorWith(grant('grid_worker', '1.2'));
    expect(requireSomewhere(worker, 'area.read')).toEqual({ paths: ['1.2'] });
    expect(domainErrorOf(() => requireSomewhere(worker, 'user.read')).kind).toBe('forbidden');
  });
});
