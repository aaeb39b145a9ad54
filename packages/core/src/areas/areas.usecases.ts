import type { AreaDetail, AreaSummary } from '@wangge/contracts';
import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import type { Store } from '../ports.ts';
import type { Actor } from '../auth/auth.types.ts';
import { authorize, requireSomewhere, visibleScope } from '../auth/auth.policy.ts';

export interface AreasDeps {
  store: Store;
  clock: Clock;
}

async function visible(deps: AreasDeps, actor: Actor, id: string, permission: 'area.read' | 'area.manage') {
  const area = await deps.store.areas.findById(id);
  if (!area) throw notFound('area.not_found');
  authorize(actor, permission, area.path, 'area.not_found');
  return area;
}

/** The roots of the area tree browser: the top-most areas the actor holds a grant on. */
export async function areaRoots(deps: AreasDeps, actor: Actor): Promise<AreaSummary[]> {
  return deps.store.areas.roots(visibleScope(actor));
}

export async function areaChildren(deps: AreasDeps, actor: Actor, id: string): Promise<AreaSummary[]> {
  await visible(deps, actor, id, 'area.read');
  return deps.store.areas.children(id);
}

export async function areaDetail(deps: AreasDeps, actor: Actor, id: string): Promise<AreaDetail> {
  await visible(deps, actor, id, 'area.read');
  const detail = await deps.store.areas.detail(id);
  if (!detail) throw notFound('area.not_found');
  return detail;
}

export async function searchAreas(deps: AreasDeps, actor: Actor, q: string, limit: number): Promise<AreaSummary[]> {
  return deps.store.areas.search(requireSomewhere(actor, 'area.read'), q, limit);
}

export async function updateArea(
  deps: AreasDeps,
  actor: Actor,
  id: string,
  patch: { nameZh?: string | undefined; nameEn?: string | null | undefined },
): Promise<AreaDetail> {
  const area = await visible(deps, actor, id, 'area.manage');
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (patch.nameZh !== undefined && patch.nameZh !== area.nameZh) (before.nameZh = area.nameZh), (after.nameZh = patch.nameZh);
  if (patch.nameEn !== undefined && patch.nameEn !== area.nameEn) (before.nameEn = area.nameEn), (after.nameEn = patch.nameEn);
  if (Object.keys(after).length > 0) {
    const now = deps.clock.now();
    await deps.store.transaction(async (tx) => {
      await tx.areas.update(id, after);
      await tx.audit.append({
        at: now, actorId: actor.userId, actorName: actor.username, action: 'area.updated', entityType: 'area',
        entityId: id, areaId: id, diff: { before, after }, ip: actor.ip, requestId: actor.requestId,
      });
    });
  }
  return areaDetail(deps, actor, id);
}
