import { Button, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { RefSelect } from './RefSelect.tsx';
import type { FieldSpec, LedgerSpec, RegistryLabels } from './registrySpec.ts';

interface Props {
  spec: LedgerSpec;
  labels: RegistryLabels;
  value: Record<string, string>;
  onChange: (fields: Record<string, string>) => void;
}

/** The filters a ledger offers (its `filter` fields in the ledger table): codes, yes/no, the record a reference points to. Test ids filter-<key>. */
export function RegistryFilters({ spec, labels, value, onChange }: Props) {
  const { t } = useTranslation();
  const set = (key: string, v: string | null | undefined) => {
    const next = { ...value };
    if (v === null || v === undefined || v === '') delete next[key];
    else next[key] = v;
    onChange(next);
  };
  const control = (f: FieldSpec) => {
    const label = labels.field(f);
    const common = { 'data-testid': `filter-${f.key}`, placeholder: label, allowClear: true, popupMatchSelectWidth: false, style: { width: 140 } };
    switch (f.type) {
      case 'code':
        return <Select<string> key={f.key} {...common} value={value[f.key]} onChange={(v) => set(f.key, v)} showSearch={{ optionFilterProp: 'label' }} options={labels.options(f.dict)} />;
      case 'bool':
        return (
          <Select<string>
            key={f.key}
            {...common}
            value={value[f.key]}
            onChange={(v) => set(f.key, v)}
            options={[
              { value: 'true', label: t('registry.list.filterYes', { field: label }) },
              { value: 'false', label: t('registry.list.filterNo', { field: label }) },
            ]}
          />
        );
      case 'ref':
        return f.ref ? (
          <RefSelect key={f.key} data-testid={`filter-${f.key}`} ledger={f.ref} labels={labels} value={value[f.key] ?? null} onChange={(v) => set(f.key, v)} placeholder={label} style={{ width: 180 }} />
        ) : null;
      default:
        return null;
    }
  };
  const fields = spec.fields.filter((f) => f.filter);
  return (
    <>
      {fields.map(control)}
      {Object.keys(value).length > 0 && (
        <Button type="link" onClick={() => onChange({})}>
          {t('registry.list.resetFilters')}
        </Button>
      )}
    </>
  );
}
