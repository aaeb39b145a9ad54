import { Button, DatePicker, Form, Input, Select } from 'antd';
// dayjs comes with antd: the picker's values, and its month and weekday names in Chinese.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../../api/hooks.ts';
import { useTimeZone } from '../../api/hooks.ts';
import { pickedToIso, type PickedTime } from '../../lib/time.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, useAuditLabels } from './auditLabels.ts';

interface Values {
  action?: string;
  entityType?: string;
  entityId?: string;
  range?: [PickedTime | null, PickedTime | null] | null;
}

type Criteria = Omit<AuditFilter, 'page' | 'pageSize'>;

/** A range picked by date alone runs from the first day's start to the last day's end. */
const DAY_BOUNDS: [dayjs.Dayjs, dayjs.Dayjs] = [dayjs().startOf('day'), dayjs().endOf('day')];

/**
 * The audit log's filter bar. Times are read in the deployment's time zone.
 * Field ids auditFilter_action, auditFilter_entityType, auditFilter_entityId, auditFilter_range; buttons audit-filter-submit, audit-filter-reset.
 */
export function AuditFilters({ onChange }: { onChange: (criteria: Criteria) => void }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const labels = useAuditLabels();
  const [form] = Form.useForm<Values>();

  const apply = (values: Values) => {
    const [from, to] = values.range ?? [];
    onChange({
      action: values.action || undefined,
      entityType: values.entityType || undefined,
      entityId: values.entityId?.trim() || undefined,
      from: from ? pickedToIso(from, timeZone) : undefined,
      to: to ? pickedToIso(to, timeZone) : undefined,
    });
  };

  return (
    <Form form={form} name="auditFilter" layout="inline" onFinish={apply} className="filter-bar">
      <Form.Item name="action" label={t('audit.action')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 260 }}
          placeholder={t('audit.allActions')}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: `${labels.action(a)} (${a})` }))}
        />
      </Form.Item>
      <Form.Item name="entityType" label={t('audit.entityType')}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('audit.allTypes')}
          options={AUDIT_ENTITY_TYPES.map((e) => ({ value: e, label: labels.entityType(e) }))}
        />
      </Form.Item>
      <Form.Item name="entityId" label={t('audit.entityId')}>
        <Input allowClear style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="range" label={t('audit.time', { tz: timeZone })}>
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm', defaultValue: DAY_BOUNDS }}
          format="YYYY-MM-DD HH:mm"
          allowEmpty={[true, true]}
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-filter-submit">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          data-testid="audit-filter-reset"
          onClick={() => {
            form.resetFields();
            apply({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
