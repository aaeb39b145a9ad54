import { useCallback, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { AREA_LEVELS, type AreaDetail, type AreaSummary } from '@wangge/contracts';
import { areaQueries } from '../../api/hooks.ts';

export interface AreaNode {
  key: string;
  isLeaf: boolean;
  area: AreaSummary;
  children?: AreaNode[];
}

const STREET = AREA_LEVELS.indexOf('street');

/** Ancestors from the top down, whichever order the server lists them in. */
export function topDownAncestors(detail: AreaDetail): AreaDetail['ancestors'] {
  const list = [...detail.ancestors];
  return list[0]?.id === detail.parentId ? list.reverse() : list;
}

/**
 * State of the lazily loaded area tree: roots from the API, children fetched on expand
 * (through the query cache, so a node opened twice is fetched once).
 */
export function useAreaTree() {
  const qc = useQueryClient();
  const roots = useQuery(areaQueries.roots());
  const [children, setChildren] = useState<Record<string, AreaSummary[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);

  const load = useCallback(
    async (id: string) => {
      const items = await qc.fetchQuery(areaQueries.children(id));
      setChildren((prev) => (prev[id] === items ? prev : { ...prev, [id]: items }));
      return items;
    },
    [qc],
  );

  const expand = useCallback((ids: string[]) => setExpanded((prev) => [...new Set([...prev, ...ids])]), []);

  const treeData = useMemo(() => {
    const build = (area: AreaSummary): AreaNode => {
      const kids = children[area.id];
      return { key: area.id, isLeaf: !area.hasChildren, area, ...(kids ? { children: kids.map(build) } : {}) };
    };
    return (roots.data ?? []).map(build);
  }, [roots.data, children]);

  /** Every area the tree has seen (roots and loaded children). */
  const known = useMemo(() => {
    const map = new Map<string, AreaSummary>();
    for (const a of roots.data ?? []) map.set(a.id, a);
    for (const list of Object.values(children)) for (const a of list) map.set(a.id, a);
    return map;
  }, [roots.data, children]);

  /**
   * Opens the first root and keeps going down while a level has a single child, stopping once a
   * street (or anything below) is open, so the user lands on their street and its communities.
   * Returns the id of the deepest area opened.
   */
  const autoExpand = useCallback(async (): Promise<string | undefined> => {
    const first = (await qc.fetchQuery(areaQueries.roots()))[0];
    const opened: string[] = [];
    let node = first;
    while (node?.hasChildren) {
      opened.push(node.id);
      const kids = await load(node.id);
      if (AREA_LEVELS.indexOf(node.level) >= STREET || kids.length !== 1) break;
      node = kids[0];
    }
    expand(opened);
    return opened.at(-1) ?? first?.id;
  }, [qc, load, expand]);

  /** Loads and opens the path from the user's root down to an area, so it shows in the tree. */
  const reveal = useCallback(
    async (id: string): Promise<AreaDetail> => {
      const [detail, rootList] = await Promise.all([qc.fetchQuery(areaQueries.detail(id)), qc.fetchQuery(areaQueries.roots())]);
      const rootIds = new Set(rootList.map((r) => r.id));
      const chain = topDownAncestors(detail).map((a) => a.id);
      const start = chain.findIndex((a) => rootIds.has(a));
      const path = start < 0 ? [] : chain.slice(start);
      await Promise.all(path.map(load));
      expand(path);
      return detail;
    },
    [qc, load, expand],
  );

  /** Puts an edited area's names into the tree without reloading it. */
  const patch = useCallback(
    (changed: AreaSummary) => {
      const apply = (list: AreaSummary[]) =>
        list.map((a) => (a.id === changed.id ? { ...a, nameZh: changed.nameZh, nameEn: changed.nameEn } : a));
      setChildren((prev) => Object.fromEntries(Object.entries(prev).map(([k, list]) => [k, apply(list)])));
      qc.setQueryData(areaQueries.roots().queryKey, (list) => (list ? apply(list) : list));
      if (changed.parentId) qc.setQueryData(areaQueries.children(changed.parentId).queryKey, (list) => (list ? apply(list) : list));
    },
    [qc],
  );

  return {
    roots,
    treeData,
    known,
    expanded,
    setExpanded,
    loadedKeys: Object.keys(children),
    load,
    autoExpand,
    reveal,
    patch,
  };
}

export type AreaTreeState = ReturnType<typeof useAreaTree>;
