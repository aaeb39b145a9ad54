import { Button, Form, Input, Select, Switch, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TagDef } from '../../api/registry.ts';

type TagField = TagDef['fields'][number];
const TYPES = ['text', 'date', 'code', 'int', 'bool'] as const satisfies readonly TagField['type'][];
/** As TagFieldSpec in the contracts: a lower-case letter, then letters or digits. */
const KEY = /^[a-z][a-zA-Z0-9]{0,30}$/;
const MAX_FIELDS = 30;

/**
 * The follow-up fields of a tag, inside the tag form as `fields` (the contract's TagFieldSpec):
 * key, names, type, options for a code field, required. Test ids tag-field-add, tag-field-remove-<n>.
 */
export function TagFieldsEditor({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const keysOther = (index: number): string[] =>
    ((form.getFieldValue('fields') as TagField[] | undefined) ?? []).filter((_f, i) => i !== index).map((f) => f?.key);

  return (
    <Form.List name="fields">
      {(fields, { add, remove }) => (
        <div className="registry-tag-fields">
          {fields.length === 0 && <Typography.Text type="secondary">{t('registry.settings.fieldsEditor.none')}</Typography.Text>}
          {fields.map((field, index) => (
            <div key={field.key} className="registry-tag-field">
              <div className="registry-form-grid registry-form-grid-4">
                <Form.Item
                  name={[field.name, 'key']}
                  label={t('registry.settings.fieldsEditor.key')}
                  tooltip={t('registry.settings.fieldsEditor.keyHint')}
                  rules={[
                    { required: true, pattern: KEY, message: t('registry.settings.fieldsEditor.keyHint') },
                    {
                      validator: (_r, value: string | undefined) =>
                        value && keysOther(index).includes(value) ? Promise.reject(new Error(t('registry.settings.fieldsEditor.keyDuplicate'))) : Promise.resolve(),
                    },
                  ]}
                >
                  <Input maxLength={31} autoComplete="off" />
                </Form.Item>
                <Form.Item name={[field.name, 'type']} label={t('registry.settings.fieldsEditor.type')} rules={[{ required: true }]}>
                  <Select options={TYPES.map((v) => ({ value: v, label: t(`registry.settings.fieldsEditor.types.${v}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'labelZh']} label={t('registry.settings.fieldsEditor.labelZh')} rules={[{ required: true, whitespace: true, max: 40 }]}>
                  <Input maxLength={40} />
                </Form.Item>
                <Form.Item name={[field.name, 'labelEn']} label={t('registry.settings.fieldsEditor.labelEn')} rules={[{ required: true, whitespace: true, max: 60 }]}>
                  <Input maxLength={60} />
                </Form.Item>
              </div>
              <Form.Item noStyle shouldUpdate={(a, b) => a.fields?.[index]?.type !== b.fields?.[index]?.type}>
                {() => form.getFieldValue(['fields', field.name, 'type']) === 'code' && <OptionsEditor name={field.name} />}
              </Form.Item>
              <div className="registry-tag-field-foot">
                <Form.Item name={[field.name, 'required']} valuePropName="checked" noStyle>
                  <Switch size="small" />
                </Form.Item>
                <span>{t('registry.settings.fieldsEditor.required')}</span>
                <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} data-testid={`tag-field-remove-${index}`}>
                  {t('registry.settings.fieldsEditor.remove')}
                </Button>
              </div>
            </div>
          ))}
          {fields.length < MAX_FIELDS && (
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ key: '', labelZh: '', labelEn: '', type: 'text', required: false })} data-testid="tag-field-add">
              {t('registry.settings.fieldsEditor.add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

/** The options of a code field: code, Chinese and English names. */
function OptionsEditor({ name }: { name: number }) {
  const { t } = useTranslation();
  return (
    <Form.List
      name={[name, 'options']}
      rules={[
        {
          validator: (_r, value: unknown[] | undefined) =>
            value && value.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('registry.settings.fieldsEditor.optionsRequired'))),
        },
      ]}
    >
      {(options, { add, remove }, { errors }) => (
        <div className="registry-tag-options">
          <Typography.Text type="secondary">{t('registry.settings.fieldsEditor.options')}</Typography.Text>
          {options.map((o) => (
            <div key={o.key} className="registry-tag-option">
              <Form.Item name={[o.name, 'code']} rules={[{ required: true, whitespace: true, max: 20 }]}>
                <Input placeholder={t('registry.settings.fieldsEditor.optionCode')} maxLength={20} />
              </Form.Item>
              <Form.Item name={[o.name, 'labelZh']} rules={[{ required: true, whitespace: true, max: 40 }]}>
                <Input placeholder={t('registry.settings.fieldsEditor.labelZh')} maxLength={40} />
              </Form.Item>
              <Form.Item name={[o.name, 'labelEn']} rules={[{ required: true, whitespace: true, max: 60 }]}>
                <Input placeholder={t('registry.settings.fieldsEditor.labelEn')} maxLength={60} />
              </Form.Item>
              <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(o.name)} aria-label={t('registry.settings.fieldsEditor.remove')} />
            </div>
          ))}
          <Form.ErrorList errors={errors} />
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', labelZh: '', labelEn: '' })}>
            {t('registry.settings.fieldsEditor.addOption')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
