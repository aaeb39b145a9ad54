import type { ReactNode } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isSensitiveType } from '@wangge/contracts';
import type { RegistryRecord } from '../../api/registry.ts';
import { MaskedValue } from './MaskedValue.tsx';
import type { FieldSpec, RegistryLabels } from './registrySpec.ts';

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** A value as text, by its field's type: codes by their labels, yes/no, numbers; refs are not resolved here (history values). */
export function useFormatValue(labels: RegistryLabels) {
  const { t } = useTranslation();
  return (field: FieldSpec, value: unknown): string => {
    if (empty(value)) return '';
    switch (field.type) {
      case 'code':
        return labels.code(field.dict, value);
      case 'bool':
        return value === true || value === 'true' ? t('registry.common.yes') : t('registry.common.no');
      case 'ref':
        return `#${String(value).slice(0, 8)}`;
      default:
        return String(value);
    }
  };
}

interface Props {
  record: RegistryRecord;
  field: FieldSpec;
  labels: RegistryLabels;
}

/** One field of a record as a list cell or a detail line: masked values with their eye button, refs by their record's title. */
export function FieldValue({ record, field, labels }: Props): ReactNode {
  const format = useFormatValue(labels);
  const value = record.values[field.key];
  if (field.type === 'ref') {
    const title = record.refs[field.key];
    if (empty(value)) return null;
    return title ?? <Typography.Text type="secondary">{format(field, value)}</Typography.Text>;
  }
  if (empty(value)) return null;
  if (isSensitiveType(field.type)) {
    return <MaskedValue ledger={record.ledger} recordId={record.id} field={field.key} fieldLabel={labels.field(field)} masked={String(value)} />;
  }
  return format(field, value);
}
