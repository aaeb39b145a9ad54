import { Button, Form, Input, Select, Switch, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EXTRA_FIELD_TYPES } from '@wangge/contracts';

export type ExtraFieldType = (typeof EXTRA_FIELD_TYPES)[number];

export interface ExtraFieldValues {
  key: string;
  labelZh: string;
  labelEn: string;
  type: ExtraFieldType;
  options?: string[];
  required?: boolean;
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_FIELDS = 20;

/**
 * The extra fields of a category (asked for at intake), inside the category form as `extraFields`.
 * Rules follow the contract's ExtraField: key, labels zh/en, type, options for a choice list, required.
 * Field ids categoryForm_extraFields_<n>_<field>; test ids extra-field-add, extra-field-remove-<n>.
 */
export function ExtraFieldsEditor({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const keysOther = (index: number): string[] =>
    ((form.getFieldValue('extraFields') as ExtraFieldValues[] | undefined) ?? []).filter((_f, i) => i !== index).map((f) => f?.key);

  return (
    <Form.List name="extraFields">
      {(fields, { add, remove }) => (
        <div className="cc-extra-fields">
          {fields.length === 0 && <Typography.Text type="secondary">{t('caseConfig.extraFields.none')}</Typography.Text>}
          {fields.map((field, index) => (
            <div key={field.key} className="cc-extra-field">
              <div className="cc-extra-grid">
                <Form.Item
                  name={[field.name, 'key']}
                  label={t('caseConfig.extraFields.key')}
                  tooltip={t('caseConfig.extraFields.keyHint')}
                  rules={[
                    { required: true, message: t('caseConfig.extraFields.keyHint') },
                    { pattern: KEY, message: t('caseConfig.extraFields.keyHint') },
                    {
                      validator: (_r, value: string | undefined) =>
                        value && keysOther(index).includes(value) ? Promise.reject(new Error(t('caseConfig.extraFields.keyDuplicate'))) : Promise.resolve(),
                    },
                  ]}
                >
                  <Input maxLength={40} placeholder="plate" autoComplete="off" />
                </Form.Item>
                <Form.Item name={[field.name, 'type']} label={t('caseConfig.extraFields.type')} rules={[{ required: true }]}>
                  <Select options={EXTRA_FIELD_TYPES.map((v) => ({ value: v, label: t(`caseConfig.extraFields.types.${v}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'labelZh']} label={t('caseConfig.extraFields.labelZh')} rules={[{ required: true, whitespace: true, max: 40 }]}>
                  <Input maxLength={40} />
                </Form.Item>
                <Form.Item name={[field.name, 'labelEn']} label={t('caseConfig.extraFields.labelEn')} rules={[{ required: true, whitespace: true, max: 60 }]}>
                  <Input maxLength={60} />
                </Form.Item>
              </div>
              <Form.Item noStyle shouldUpdate={(a, b) => a.extraFields?.[index]?.type !== b.extraFields?.[index]?.type}>
                {() =>
                  form.getFieldValue(['extraFields', field.name, 'type']) === 'select' && (
                    <Form.Item
                      name={[field.name, 'options']}
                      label={t('caseConfig.extraFields.options')}
                      rules={[
                        { required: true, type: 'array', min: 1, message: t('caseConfig.extraFields.optionsRequired') },
                        {
                          validator: (_r, value: string[] | undefined) =>
                            (value ?? []).some((o) => o.trim().length > 40) ? Promise.reject(new Error(t('caseConfig.extraFields.optionTooLong'))) : Promise.resolve(),
                        },
                      ]}
                    >
                      <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder={t('caseConfig.extraFields.optionsPlaceholder')} maxCount={50} />
                    </Form.Item>
                  )
                }
              </Form.Item>
              <div className="cc-extra-foot">
                <Form.Item name={[field.name, 'required']} valuePropName="checked" noStyle>
                  <Switch size="small" />
                </Form.Item>
                <span className="cc-extra-required">{t('caseConfig.extraFields.required')}</span>
                <Button
                  type="text"
                  danger
                  size="small"
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  data-testid={`extra-field-remove-${index}`}
                >
                  {t('caseConfig.extraFields.remove')}
                </Button>
              </div>
            </div>
          ))}
          {fields.length < MAX_FIELDS && (
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              onClick={() => add({ key: '', labelZh: '', labelEn: '', type: 'text', required: false })}
              data-testid="extra-field-add"
            >
              {t('caseConfig.extraFields.add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}
