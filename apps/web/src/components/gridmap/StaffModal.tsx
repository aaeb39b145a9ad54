import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { STAFF_DUTIES, staffDutyLabels } from '@wangge/contracts';
import { errorMessage } from '../../api/client.ts';
import { useStaffMutations, type StaffDuty, type StaffView } from '../../api/grids.ts';
import { useLocale } from '../../i18n/index.ts';
import { useUsers } from '../../api/hooks.ts';
import { DialogFooter } from '../DialogFooter.tsx';

interface Values {
  duty: StaffDuty;
  name: string;
  phone: string;
  serviceItems: string;
  isPublic: boolean;
  userId: string | null;
}

interface Props {
  gridId: string;
  /** The person to edit, 'new' to add one, null when closed. */
  staff: StaffView | 'new' | null;
  onClose: () => void;
}

const BLANK: Values = { duty: 'grid_worker', name: '', phone: '', serviceItems: '', isPublic: true, userId: null };

/** Adds or edits a grid's responsible person. Field ids staff_duty, staff_name, …; submit test id staff-submit. */
export function StaffModal({ gridId, staff, onClose }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { add, update } = useStaffMutations(gridId);
  const saving = staff === 'new' ? add : update;

  useEffect(() => {
    if (staff === null) return;
    form.setFieldsValue(staff === 'new' ? BLANK : { ...staff, phone: staff.phone ?? '', userId: staff.userId ?? null });
  }, [staff, form]);

  const close = () => {
    add.reset();
    update.reset();
    onClose();
  };

  const submit = (values: Values) => {
    const body = {
      duty: values.duty,
      name: values.name.trim(),
      phone: values.phone.trim() || null,
      serviceItems: values.serviceItems.trim(),
      isPublic: values.isPublic,
      userId: values.userId ?? null,
    };
    const done = {
      onSuccess: () => {
        void message.success(t('gridMap.staff.saved'));
        close();
      },
    };
    if (staff === 'new') add.mutate(body, done);
    else if (staff) update.mutate({ ...body, id: staff.id }, done);
  };

  return (
    <Modal
      open={staff !== null}
      title={staff === 'new' || staff === null ? t('gridMap.staff.addTitle') : t('gridMap.staff.editTitle', { name: staff.name })}
      onCancel={close}
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={saving.isPending} testId="staff-submit" />}
      forceRender
    >
      {saving.error && <Alert type="error" showIcon title={errorMessage(saving.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="staff" layout="vertical" onFinish={submit} initialValues={BLANK}>
        <Form.Item name="duty" label={t('gridMap.staff.duty')} rules={[{ required: true }]}>
          <Select options={STAFF_DUTIES.map((d) => ({ value: d, label: staffDutyLabels[d][locale] }))} />
        </Form.Item>
        <Form.Item name="name" label={t('gridMap.staff.name')} rules={[{ required: true, whitespace: true, max: 40 }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="phone" label={t('gridMap.staff.phone')} rules={[{ pattern: /^[0-9+\-\s]{5,20}$/, message: t('gridMap.staff.phoneInvalid') }]}>
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
        <Form.Item name="serviceItems" label={t('gridMap.staff.serviceItems')} rules={[{ max: 500 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} placeholder={t('gridMap.staff.serviceItemsPlaceholder')} />
        </Form.Item>
        <Form.Item name="userId" label={t('gridMap.staff.user')} extra={t('gridMap.staff.userHelp')}>
          <UserPicker current={staff !== null && staff !== 'new' && staff.userId ? { id: staff.userId, username: staff.username } : null} />
        </Form.Item>
        <Form.Item name="isPublic" label={t('gridMap.staff.isPublic')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A searchable list of the accounts the signed-in user may see (GET /api/users?q=), for linking a staff member to a sign-in account. */
function UserPicker({ value, onChange, current }: { value?: string | null; onChange?: (v: string | null) => void; current: { id: string; username: string | null } | null }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const users = useUsers({ q: q || undefined, page: 1, pageSize: 20 });
  const options = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）· ${u.homeAreaName}` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: value === current?.id ? current.username ?? value : value });
  return (
    <Select
      id="staff_userId"
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={users.isFetching}
      placeholder={t('gridMap.staff.userPlaceholder')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
    />
  );
}
