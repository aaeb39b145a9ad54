import { Button, DatePicker, Input, Select, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { CASE_SOURCES, CASE_STATES, PRIORITIES, type CaseSource, type CaseState, type Priority } from '@wangge/contracts';
import { useTimeZone } from '../../api/hooks.ts';
import { exportHref, type CaseFilter } from '../../api/cases.ts';
import { pickedToIso } from '../../lib/time.ts';
import { useCaseLabels } from './caseLabels.ts';
import { CategoryCascader } from './CategoryCascader.tsx';

interface Props {
  filter: CaseFilter;
  onChange: (patch: Partial<CaseFilter>) => void;
}

/** Filters of a work queue: state, category, priority, source, words or number, reported between. */
export function CaseFilters({ filter, onChange }: Props) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const timeZone = useTimeZone();

  const range = (value: [Dayjs | null, Dayjs | null] | null) => {
    const [from, to] = value ?? [null, null];
    onChange({
      from: from ? pickedToIso(from.startOf('day'), timeZone) : undefined,
      to: to ? pickedToIso(to.add(1, 'day').startOf('day'), timeZone) : undefined,
    });
  };

  return (
    <div className="case-filters">
      <Space wrap size={8} className="case-filter-fields">
        <Input.Search
          id="case-search"
          data-testid="case-search"
          placeholder={t('cases.list.searchPlaceholder')}
          allowClear
          onSearch={(q) => onChange({ q: q.trim() || undefined })}
          className="filter-search"
        />
        <Select<CaseState>
          data-testid="case-state-filter"
          placeholder={t('cases.fields.state')}
          allowClear
          value={filter.state}
          onChange={(state) => onChange({ state })}
          options={CASE_STATES.map((s) => ({ value: s, label: labels.state(s) }))}
          style={{ width: 120 }}
          popupMatchSelectWidth={false}
        />
        <CategoryCascader
          anyLevel
          allowClear
          placeholder={t('cases.fields.category')}
          value={filter.categoryId}
          onChange={(categoryId) => onChange({ categoryId })}
          style={{ width: 180 }}
          data-testid="case-category-filter"
        />
        <Select<Priority>
          placeholder={t('cases.fields.priority')}
          allowClear
          value={filter.priority}
          onChange={(priority) => onChange({ priority })}
          options={PRIORITIES.map((p) => ({ value: p, label: labels.priority(p) }))}
          style={{ width: 100 }}
        />
        <Select<CaseSource>
          placeholder={t('cases.fields.source')}
          allowClear
          value={filter.source}
          onChange={(source) => onChange({ source })}
          options={CASE_SOURCES.map((s) => ({ value: s, label: labels.source(s) }))}
          style={{ width: 130 }}
          popupMatchSelectWidth={false}
        />
        <DatePicker.RangePicker
          style={{ width: 260 }}
          onChange={(v) => range(v as [Dayjs | null, Dayjs | null] | null)}
          placeholder={[t('cases.list.reportedFrom'), t('cases.list.reportedTo')]}
          allowEmpty={[true, true]}
        />
      </Space>
    </div>
  );
}

/** Downloads the queue with its filters as .xlsx (phones are never in it). */
export function ExportButton({ filter }: { filter: CaseFilter }) {
  const { t } = useTranslation();
  return (
    <Button icon={<DownloadOutlined />} href={exportHref(filter)} download data-testid="case-export">
      {t('cases.list.export')}
    </Button>
  );
}
