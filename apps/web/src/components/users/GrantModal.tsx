import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type UserView } from '@wangge/contracts';
import { useUserMutations } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { useLabels } from '../../i18n/labels.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { AreaTreeSelect } from '../AreaTreeSelect.tsx';

interface Values {
  role: Role;
  areaId: string;
}

interface Props {
  user: UserView | null;
  onClose: () => void;
}

/** Grants a user a role on an area. Field ids grant_role, grant_areaId; submit test id grant-submit. */
export function GrantModal({ user, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useLabels();
  const [form] = Form.useForm<Values>();
  const { addGrant } = useUserMutations();

  const close = () => {
    addGrant.reset();
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    if (!user) return;
    addGrant.mutate(
      { id: user.id, ...values },
      {
        onSuccess: () => {
          void message.success(t('users.grantAdded'));
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={user !== null}
      title={t('users.grantTitle', { name: user?.displayName ?? '' })}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={addGrant.isPending} testId="grant-submit" />}
    >
      <Typography.Paragraph type="secondary">{t('users.grantHint')}</Typography.Paragraph>
      {addGrant.error && <Alert type="error" showIcon title={errorMessage(addGrant.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="grant" layout="vertical" onFinish={submit}>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.pick', { field: t('users.role') }) }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: labels.role(r) }))} />
        </Form.Item>
        <Form.Item name="areaId" label={t('users.area')} rules={[{ required: true, message: t('common.pick', { field: t('users.area') }) }]}>
          <AreaTreeSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}
