import { AREA_LEVELS, type AreaLevel } from '@wangge/contracts';

/** True when `path` is `ancestor` or lies below it (ltree semantics of `path <@ ancestor`). */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + '.');
}

/** Ids of the ancestors of a path, root first, the node itself last. */
export function pathIds(path: string): string[] {
  return path.split('.');
}

/** The code length of each administrative level (GB/T 2260 + 统计用区划代码); grids: 15 (community 12 + 3). */
export const codeLength: Record<AreaLevel, number> = {
  province: 2,
  city: 4,
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
};

/** The level a child of `level` normally has; grids may hold grids (大/中/小/微网格). */
export function childLevel(level: AreaLevel): AreaLevel {
  if (level === 'grid') return 'grid';
  const i = AREA_LEVELS.indexOf(level);
  return AREA_LEVELS[Math.min(i + 1, AREA_LEVELS.length - 1)] as AreaLevel;
}

/** A child's administrative code starts with its parent's code (GB/T 2260 and the statistical codes). */
export function codeFitsParent(code: string, parentCode: string | null): boolean {
  return parentCode === null || code.startsWith(parentCode);
}
