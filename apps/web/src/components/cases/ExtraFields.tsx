import { Col, Form, Input, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExtraField } from '@wangge/contracts';
import { useLocale } from '../../i18n/index.ts';

export const fieldLabel = (f: Pick<ExtraField, 'labelZh' | 'labelEn'>, locale: string) => (locale === 'en' ? f.labelEn : f.labelZh);

/** The category's own fields (车牌号, 隐患类型…) as form items under `extra`; required ones are enforced. */
export function ExtraFieldItems({ fields }: { fields: ExtraField[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (fields.length === 0) return null;
  return (
    <Row gutter={16}>
      {fields.map((f) => {
        const label = fieldLabel(f, locale);
        const rules = f.required ? [{ required: true, message: t('cases.intake.extraRequired', { field: label }) }] : [];
        return (
          <Col key={f.key} xs={24} md={12}>
            <Form.Item
              name={['extra', f.key]}
              label={label}
              rules={rules}
              valuePropName={f.type === 'bool' ? 'checked' : 'value'}
              data-testid={`extra-${f.key}`}
            >
              {f.type === 'number' ? (
                <InputNumber style={{ width: '100%' }} />
              ) : f.type === 'select' ? (
                <Select allowClear options={(f.options ?? []).map((o) => ({ value: o, label: o }))} placeholder={t('common.pick', { field: label })} />
              ) : f.type === 'bool' ? (
                <Switch />
              ) : (
                <Input maxLength={500} />
              )}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}

/** The extra values of a case, labelled by its category's fields (keys the category no longer has are shown as they are). */
export function ExtraValues({ fields, values }: { fields: ExtraField[]; values: Record<string, unknown> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const keys = Object.keys(values);
  if (keys.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const show = (v: unknown) => (typeof v === 'boolean' ? t(v ? 'cases.bool.yes' : 'cases.bool.no') : String(v));
  return (
    <dl className="extra-values">
      {keys.map((k) => {
        const f = fields.find((x) => x.key === k);
        return (
          <div key={k}>
            <dt>{f ? fieldLabel(f, locale) : k}</dt>
            <dd>{show(values[k])}</dd>
          </div>
        );
      })}
    </dl>
  );
}
