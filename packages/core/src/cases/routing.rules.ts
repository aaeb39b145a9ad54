import type { RouteExplain } from '@wangge/contracts';
import { isWithin } from '../areas/areas.rules.ts';
import type { CategoryRow, RuleRow, UnitRow } from './cases.ports.ts';

/**
 * Routing: rules in `seq` order, the first active rule whose category (that category or any
 * below it: the case's category or one of its ancestors) and area (that area or any below it) match wins; a rule with no
 * category or no area matches any. Without a match the category's default unit is used, and
 * without that the dispatcher decides. The answer says which, so every case can explain its route.
 */
export function route(
  rules: readonly RuleRow[],
  units: ReadonlyMap<string, UnitRow>,
  c: { categoryIds: readonly string[]; areaPath: string },
  category: Pick<CategoryRow, 'defaultUnitId'> | null,
): RouteExplain {
  const ordered = [...rules].filter((r) => r.active).sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
  let checked = 0;
  for (const r of ordered) {
    checked++;
    if (r.categoryId !== null && !c.categoryIds.includes(r.categoryId)) continue;
    if (r.areaPath !== null && !isWithin(c.areaPath, r.areaPath)) continue;
    const unit = units.get(r.unitId);
    if (!unit || !unit.active) continue;
    return { ruleId: r.id, ruleName: r.name, via: 'rule', unitId: unit.id, unitName: unit.nameZh, checked };
  }
  const def = category?.defaultUnitId ? units.get(category.defaultUnitId) : undefined;
  if (def && def.active) return { ruleId: null, ruleName: null, via: 'category_default', unitId: def.id, unitName: def.nameZh, checked };
  return { ruleId: null, ruleName: null, via: 'none', unitId: null, unitName: null, checked };
}
