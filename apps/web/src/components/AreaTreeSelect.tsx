import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { AreaSummary } from '@wangge/contracts';
import { areaQueries } from '../api/hooks.ts';
import { useDebounced } from '../lib/useDebounced.ts';
import { useLabels } from '../i18n/labels.ts';
import { LevelTag } from './areas/AreaBits.tsx';

interface Option {
  value: string;
  label: string;
  title: ReactNode;
  isLeaf: boolean;
  children?: Option[];
}

interface Labeled {
  value: string;
  label: ReactNode;
}

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * Picks an area the user can see: the tree loads level by level as it is opened, and typing
 * searches the whole scope through the API. Works as a form control (value = area id).
 */
export function AreaTreeSelect({ value, onChange, ...rest }: Props) {
  const qc = useQueryClient();
  const labels = useLabels();
  const roots = useQuery(areaQueries.roots());
  const [children, setChildren] = useState<Record<string, AreaSummary[]>>({});
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const matches = useQuery(areaQueries.search(query));
  const [picked, setPicked] = useState<Labeled | null>(null);
  // A value set from outside (a link, a default) is named from its details rather than shown as an id.
  const pickedLabel = picked && picked.value === value ? picked.label : undefined;
  const detail = useQuery({ ...areaQueries.detail(value ?? ''), enabled: value !== undefined && pickedLabel === undefined });

  const treeData = useMemo(() => {
    const option = (area: AreaSummary, nested: boolean): Option => {
      const kids = nested ? children[area.id] : undefined;
      return {
        value: area.id,
        label: labels.areaName(area),
        title: (
          <span className="area-node">
            {labels.areaName(area)}
            <LevelTag level={area.level} />
          </span>
        ),
        isLeaf: !nested || !area.hasChildren,
        ...(kids ? { children: kids.map((k) => option(k, true)) } : {}),
      };
    };
    if (query) return (matches.data ?? []).map((a) => option(a, false));
    return (roots.data ?? []).map((a) => option(a, true));
  }, [query, matches.data, roots.data, children, labels]);

  // A branch that fails to load shows as empty rather than being asked for again and again.
  const load = async (id: string) => {
    const items = await qc.fetchQuery(areaQueries.children(id)).catch(() => []);
    setChildren((prev) => ({ ...prev, [id]: items }));
  };

  const change = (next: Labeled | undefined) => {
    setPicked(next ?? null);
    setSearch('');
    onChange?.(next?.value);
  };

  return (
    <TreeSelect<Labeled | undefined, Option>
      {...rest}
      labelInValue
      value={value ? { value, label: pickedLabel ?? (detail.data ? labels.areaName(detail.data) : value) } : undefined}
      onChange={change}
      treeData={treeData}
      treeNodeLabelProp="label"
      loadData={(node) => load(String(node.value))}
      treeLoadedKeys={Object.keys(children)}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false }}
      loading={roots.isPending || matches.isFetching}
      popupMatchSelectWidth={false}
      notFoundContent={null}
    />
  );
}
