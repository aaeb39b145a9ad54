import { useMemo, useState, type CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { registryQueries } from '../../api/registry.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { LEDGER_SPECS, recordTitle, type LedgerKey, type RegistryLabels } from './registrySpec.ts';

interface Props {
  id?: string;
  ledger: LedgerKey;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** The title of the record `value` points to, as the record being edited names it. */
  initialLabel?: string | null;
  labels: RegistryLabels;
  placeholder?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** Picks a record of another ledger by typing its title (the list's `q=`); works as a form control (value = record id). */
export function RefSelect({ ledger, value, onChange, initialLabel, labels, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 300);
  const found = useQuery({ ...registryQueries.pick(ledger, q), enabled: open });
  const [picked, setPicked] = useState<Record<string, string>>({});
  const spec = LEDGER_SPECS[ledger];

  const options = useMemo(() => {
    const list = (found.data ?? []).map((r) => ({
      value: r.id,
      title: recordTitle(spec, r.values),
      label: (
        <span className="ref-option">
          {recordTitle(spec, r.values)} <Typography.Text type="secondary">{r.gridName}</Typography.Text>
        </span>
      ),
    }));
    if (value && !list.some((o) => o.value === value)) {
      const title = picked[value] ?? initialLabel ?? `#${value.slice(0, 8)}`;
      list.unshift({ value, title, label: <span className="ref-option">{title}</span> });
    }
    return list;
  }, [found.data, spec, value, picked, initialLabel]);

  return (
    <Select<string>
      {...rest}
      allowClear
      value={value ?? undefined}
      onChange={(v, option) => {
        const o = Array.isArray(option) ? undefined : option;
        if (v && o && typeof o.title === 'string') setPicked((p) => ({ ...p, [v]: o.title as string }));
        onChange?.(v ?? null);
      }}
      onOpenChange={setOpen}
      options={options}
      optionLabelProp="title"
      showSearch={{ searchValue: search, onSearch: setSearch, filterOption: false }}
      loading={found.isFetching}
      placeholder={placeholder ?? t('registry.form.refPlaceholder', { ledger: labels.ledger(ledger) })}
      notFoundContent={found.isFetching ? null : t('registry.form.refNone')}
      popupMatchSelectWidth={false}
    />
  );
}
