import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { areaQueries } from '../../api/hooks.ts';
import { gridQueries } from '../../api/grids.ts';
import { caseQueries, useLocate, useSimilarCases, type CaseDetail } from '../../api/cases.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { useCaseLabels } from './caseLabels.ts';
import { candidatesOf } from './LocatePanel.tsx';

interface ControlProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
}

/** Handling units, departments first; the routed unit is marked as the suggestion. Test id transition-unit. */
export function UnitSelect({ suggested, ...rest }: ControlProps & { suggested: string | null }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const units = useQuery(caseQueries.units());
  const options = useMemo(() => {
    const list = [...(units.data ?? [])].sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'department' ? -1 : 1));
    return list.map((u) => ({
      value: u.id,
      search: `${u.nameZh} ${u.code} ${u.areaName}`,
      label: (
        <span className="unit-option">
          {u.nameZh}
          <Typography.Text type="secondary" className="unit-kind">{labels.unitKind(u.kind)}</Typography.Text>
          {u.id === suggested && <Tag color="blue">{t('cases.transition.suggested')}</Tag>}
        </span>
      ),
    }));
  }, [units.data, suggested, labels, t]);
  return (
    <Select
      {...rest}
      data-testid="transition-unit"
      showSearch={{ optionFilterProp: 'search' }}
      loading={units.isPending}
      options={options}
      placeholder={t('common.pick', { field: labels.field('unitId') })}
    />
  );
}

/** The case a duplicate is merged into: similar open cases offered first, any other found by number or words. Test id transition-target. */
export function MergeTargetSelect({ detail, ...rest }: ControlProps & { detail: CaseDetail }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const found = useQuery(caseQueries.search(q));
  const similar = useSimilarCases({
    categoryId: detail.categoryId, lon: detail.lon ?? undefined, lat: detail.lat ?? undefined, description: detail.description, excludeId: detail.id,
  });
  const options = useMemo(() => {
    const list = q ? (found.data ?? []).filter((c) => c.id !== detail.id && c.stateKind === 'open') : (similar.data ?? []);
    return list.map((c) => ({
      value: c.id,
      label: (
        <span className="target-option">
          <Typography.Text strong>{c.no}</Typography.Text> {labels.state(c.state)} · {c.categoryName} · {c.description.slice(0, 40)}
        </span>
      ),
    }));
  }, [q, found.data, similar.data, detail.id, labels]);
  return (
    <Select
      {...rest}
      data-testid="transition-target"
      showSearch={{ searchValue: search, onSearch: setSearch, filterOption: false }}
      loading={found.isFetching || similar.isFetching}
      options={options}
      placeholder={t('cases.transition.targetPlaceholder')}
      notFoundContent={t('cases.transition.targetNone')}
      popupMatchSelectWidth={false}
    />
  );
}

/** A grid near the case's place (the candidates at its point first), from its community's grid map. Test id transition-grid. */
export function GridSelect({ detail, ...rest }: ControlProps & { detail: CaseDetail }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const at = detail.lon !== null && detail.lat !== null ? ([detail.lon, detail.lat] as const) : null;
  const located = useLocate(at, 150);
  const roots = useQuery(areaQueries.roots());
  const community = located.data?.path.find((a) => a.level === 'community')?.id ?? roots.data?.[0]?.id;
  const grids = useQuery({ ...gridQueries.map(community ?? ''), enabled: community !== undefined });
  const options = useMemo(() => {
    const near = new Set([...(located.data?.basic ?? []), ...candidatesOf(located.data)].map((g) => g.id));
    const all = (grids.data?.features ?? []).map((f) => f.properties);
    const sorted = [...all.filter((g) => near.has(g.id)), ...all.filter((g) => !near.has(g.id))];
    return sorted.map((g) => ({
      value: g.id,
      search: `${g.name} ${g.code}`,
      label: (
        <Space size={4}>
          {g.name}
          <Typography.Text type="secondary">{g.code}</Typography.Text>
          {g.id === detail.gridId && <Tag>{t('cases.transition.currentGrid')}</Tag>}
          {near.has(g.id) && g.id !== detail.gridId && <Tag color="orange">{t('cases.transition.nearGrid')}</Tag>}
        </Space>
      ),
    }));
  }, [grids.data, located.data, detail.gridId, t]);
  return (
    <Select
      {...rest}
      data-testid="transition-grid"
      showSearch={{ optionFilterProp: 'search' }}
      loading={grids.isFetching || located.isFetching}
      options={options}
      placeholder={t('common.pick', { field: labels.field('gridId') })}
    />
  );
}
