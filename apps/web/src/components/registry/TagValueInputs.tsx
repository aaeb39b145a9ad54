import { useCallback } from 'react';
import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/time.ts';
import { useTimeZone } from '../../api/hooks.ts';
import type { TagDef } from '../../api/registry.ts';
import { dateItemProps } from './FieldInput.tsx';
import type { RegistryLabels } from './registrySpec.ts';

type TagField = TagDef['fields'][number];

/** Today's date ('YYYY-MM-DD') in the deployment's time zone. */
export function useToday(): () => string {
  const timeZone = useTimeZone();
  return useCallback(() => formatTime(new Date().toISOString(), timeZone).slice(0, 10), [timeZone]);
}

/** The follow-up fields of a tag (TagDef.fields), as form items under `values`. Field ids personTagForm_values_<key>. */
export function TagValueInputs({ def, labels }: { def: TagDef; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const item = (f: TagField) => {
    const label = labels.tagField(f);
    return { name: ['values', f.key], label, rules: f.required ? [{ required: f.type !== 'bool', message: t('registry.form.required', { field: label }) }] : [] };
  };
  return (
    <div className="registry-form-grid">
      {def.fields.map((f) => {
        switch (f.type) {
          case 'bool':
            return (
              <Form.Item key={f.key} {...item(f)} valuePropName="checked">
                <Switch />
              </Form.Item>
            );
          case 'date':
            return (
              <Form.Item key={f.key} {...item(f)} {...dateItemProps}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            );
          case 'int':
            return (
              <Form.Item key={f.key} {...item(f)}>
                <InputNumber precision={0} style={{ width: '100%' }} />
              </Form.Item>
            );
          case 'code':
            return (
              <Form.Item key={f.key} {...item(f)}>
                <Select allowClear options={(f.options ?? []).map((o) => ({ value: o.code, label: labels.tagField(o) }))} />
              </Form.Item>
            );
          default:
            return (
              <Form.Item key={f.key} {...item(f)}>
                <Input maxLength={200} />
              </Form.Item>
            );
        }
      })}
    </div>
  );
}

/** A tag's follow-up value as text (an option by its label, yes/no). */
export function useTagValueText(labels: RegistryLabels) {
  const { t } = useTranslation();
  return (f: TagField, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '';
    if (f.type === 'bool') return value === true ? t('registry.common.yes') : t('registry.common.no');
    if (f.type === 'code') {
      const o = f.options?.find((x) => x.code === value);
      return o ? labels.tagField(o) : String(value);
    }
    return String(value);
  };
}
