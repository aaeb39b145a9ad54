import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Locale } from '@wangge/contracts';
import { caseConfigQueries, type CategoryView } from '../../api/caseConfig.ts';
import { useLocale } from '../../i18n/index.ts';

/** A category with the ones below it, as a tree table row. `children` is absent on a leaf (no expand icon). */
export interface CategoryNode extends CategoryView {
  children?: CategoryNode[];
}

export interface CategoryTreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: CategoryTreeOption[];
}

export const categoryName = (c: Pick<CategoryView, 'nameZh' | 'nameEn'>, locale: Locale) => (locale === 'en' && c.nameEn ? c.nameEn : c.nameZh);

/** The flat list the API answers, as a tree in the API's order. */
export function buildTree(list: readonly CategoryView[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>(list.map((c) => [c.id, { ...c }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The branches holding a match (a matching category keeps all below it). */
export function filterTree(nodes: readonly CategoryNode[], q: string): CategoryNode[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return [...nodes];
  const hit = (c: CategoryNode) =>
    [c.code, c.nameZh, c.nameEn ?? '', c.open311Code ?? ''].some((s) => s.toLowerCase().includes(needle));
  const walk = (list: readonly CategoryNode[]): CategoryNode[] =>
    list.flatMap((c) => {
      if (hit(c)) return [c];
      const kids = c.children ? walk(c.children) : [];
      return kids.length > 0 ? [{ ...c, children: kids }] : [];
    });
  return walk(nodes);
}

/** Ids of every category that has children (to expand a whole tree). */
export function branchIds(nodes: readonly CategoryNode[]): string[] {
  return nodes.flatMap((c) => (c.children ? [c.id, ...branchIds(c.children)] : []));
}

/** Ids of a category and everything below it. */
export function subtreeIds(node: CategoryNode): Set<string> {
  const ids = new Set<string>([node.id]);
  for (const c of node.children ?? []) for (const id of subtreeIds(c)) ids.add(id);
  return ids;
}

/** The categories with their tree, lookup by id, path names and tree-select options, in the UI language. */
export function useCategories() {
  const locale = useLocale();
  const query = useQuery(caseConfigQueries.categories());
  const derived = useMemo(() => {
    const list = query.data ?? [];
    const byId = new Map(list.map((c) => [c.id, c]));
    const tree = buildTree(list);
    const path = (id: string | null): string => {
      const names: string[] = [];
      for (let c = id ? byId.get(id) : undefined; c; c = c.parentId ? byId.get(c.parentId) : undefined) names.unshift(categoryName(c, locale));
      return names.join(' › ');
    };
    /** Options for a TreeSelect; `selectable` decides which may be picked (others stay visible, greyed). */
    const options = (selectable: (c: CategoryNode) => boolean = () => true, hide: Set<string> = new Set()): CategoryTreeOption[] => {
      const walk = (nodes: readonly CategoryNode[]): CategoryTreeOption[] =>
        nodes
          .filter((c) => !hide.has(c.id))
          .map((c) => {
            const kids = c.children ? walk(c.children) : [];
            return {
              value: c.id,
              title: `${categoryName(c, locale)} (${c.code})`,
              ...(selectable(c) ? {} : { disabled: true }),
              ...(kids.length > 0 ? { children: kids } : {}),
            };
          });
      return walk(tree);
    };
    return { list, byId, tree, path, options };
  }, [query.data, locale]);
  return { query, ...derived };
}
