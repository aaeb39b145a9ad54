import { useMemo, type CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Cascader } from 'antd';
import { useTranslation } from 'react-i18next';
import { caseQueries, type CategoryView } from '../../api/cases.ts';
import { useCaseLabels } from './caseLabels.ts';

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

/** Active categories as a tree (大类 › 小类 › 细类); a category whose children are all inactive is a leaf. */
export function categoryTree(categories: readonly CategoryView[], name: (c: CategoryView) => string): { options: Option[]; paths: Map<string, string[]> } {
  const active = categories.filter((c) => c.active);
  const byParent = new Map<string | null, CategoryView[]>();
  for (const c of active) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const paths = new Map<string, string[]>();
  const build = (parentId: string | null, above: string[]): Option[] =>
    (byParent.get(parentId) ?? []).map((c) => {
      const path = [...above, c.id];
      paths.set(c.id, path);
      const children = build(c.id, path);
      return { value: c.id, label: name(c), ...(children.length ? { children } : {}) };
    });
  return { options: build(null, []), paths };
}

/**
 * Category names in the current language by id (lists carry the Chinese name only): the leaf's
 * name, or with `path` the whole "大类 › 小类"; the given fallback until the tree has loaded.
 */
export function useCategoryName() {
  const labels = useCaseLabels();
  const categories = useQuery(caseQueries.categories());
  return useMemo(() => {
    const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));
    return (id: string, fallback: string, path = false) => {
      const c = byId.get(id);
      if (!c) return fallback;
      if (!path) return labels.category(c);
      const names: string[] = [];
      for (let at: CategoryView | undefined = c; at; at = at.parentId ? byId.get(at.parentId) : undefined) names.unshift(labels.category(at));
      return names.join(' › ');
    };
  }, [categories.data, labels]);
}

interface Props {
  id?: string;
  /** The chosen leaf category. */
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Also offer categories that are not leaves (filters: a 大类 covers everything below it). */
  anyLevel?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** Picks a category from the three-level tree; only leaves can be picked unless `anyLevel`. Works as a form control. */
export function CategoryCascader({ value, onChange, anyLevel = false, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const categories = useQuery(caseQueries.categories());
  const { options, paths } = useMemo(() => categoryTree(categories.data ?? [], labels.category), [categories.data, labels]);

  return (
    <Cascader<Option>
      {...rest}
      options={options}
      value={value ? paths.get(value) : undefined}
      onChange={(path) => onChange?.(path ? (path.at(-1) as string | undefined) : undefined)}
      changeOnSelect={anyLevel}
      showSearch={{ filter: (input, path) => path.some((o) => o.label.toLowerCase().includes(input.toLowerCase())) }}
      displayRender={(names) => names.join(' › ')}
      loading={categories.isPending}
      placeholder={placeholder ?? t('cases.intake.categoryPlaceholder')}
    />
  );
}
