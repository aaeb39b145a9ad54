import { DatePicker, Form, Input, InputNumber, Select, Switch, type FormItemProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isSensitiveType } from '@wangge/contracts';
import type { RegistryRecord } from '../../api/registry.ts';
import { RefSelect } from './RefSelect.tsx';
import type { FieldSpec, RegistryLabels } from './registrySpec.ts';

/** Dates travel as 'YYYY-MM-DD' strings; the picker works with dayjs values. */
export const dateItemProps: Pick<FormItemProps, 'getValueProps' | 'normalize'> = {
  getValueProps: (value: unknown) => ({ value: typeof value === 'string' && value ? dayjs(value) : null }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : null),
};

interface Props {
  field: FieldSpec;
  /** The ledger derives the date of birth and sex from its ID number (people). */
  derivesFromId: boolean;
  labels: RegistryLabels;
  /** The record being edited (its masked values, the codes it holds). */
  record: RegistryRecord | null;
  /** Titles of the records the reference fields point to, by field key. */
  refTitles: Record<string, string | null>;
}

/**
 * One field of a record's form, chosen by its type in the ledger table: codes pick from their
 * code table, references search the other ledger, dates pick a day, yes/no is a switch. An ID
 * number or phone being edited starts empty (the form never holds a masked value) and is kept
 * unless something is typed. Field ids recordForm_<key>.
 */
export function FieldInput({ field, derivesFromId, labels, record, refTitles }: Props) {
  const { t } = useTranslation();
  const label = labels.field(field);
  const masked = record && isSensitiveType(field.type) ? record.values[field.key] : undefined;
  const keeps = typeof masked === 'string' && masked !== '';
  const rules: FormItemProps['rules'] = [];
  if (field.required && !keeps) rules.push({ required: true, message: t('registry.form.required', { field: label }) });
  if (field.max) rules.push({ max: field.max, message: t('registry.form.tooLong', { field: label, max: field.max }) });

  const extra = keeps
    ? t('registry.form.maskedKeep', { masked })
    : field.type === 'idno' && derivesFromId
      ? t('registry.form.idnoHint')
      : undefined;
  const item = { name: field.key, label, rules, extra, className: field.type === 'longtext' ? 'registry-form-wide' : undefined };

  switch (field.type) {
    case 'bool':
      return (
        <Form.Item {...item} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item {...item} {...dateItemProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'int':
      return (
        <Form.Item {...item}>
          <InputNumber precision={0} min={0} style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item {...item}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'lon':
    case 'lat': {
      const bound = field.type === 'lon' ? 180 : 90;
      return (
        <Form.Item {...item}>
          <InputNumber min={-bound} max={bound} step={0.000001} precision={6} style={{ width: '100%' }} />
        </Form.Item>
      );
    }
    case 'code':
      return (
        <Form.Item {...item}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={labels.options(field.dict, record?.values[field.key])}
            placeholder={t('common.pick', { field: label })}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
      );
    case 'ref':
      return (
        <Form.Item {...item}>
          {field.ref && <RefSelect ledger={field.ref} labels={labels} initialLabel={refTitles[field.key] ?? null} />}
        </Form.Item>
      );
    case 'longtext':
      return (
        <Form.Item {...item}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={field.max} />
        </Form.Item>
      );
    case 'idno':
    case 'uscc':
      return (
        <Form.Item {...item} normalize={(v: string) => v.toUpperCase()}>
          <Input maxLength={18} autoComplete="off" placeholder={keeps ? String(masked) : undefined} />
        </Form.Item>
      );
    case 'phone':
      return (
        <Form.Item {...item}>
          <Input maxLength={20} autoComplete="off" inputMode="tel" placeholder={keeps ? String(masked) : undefined} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...item}>
          <Input maxLength={field.max} autoComplete="off" />
        </Form.Item>
      );
  }
}
