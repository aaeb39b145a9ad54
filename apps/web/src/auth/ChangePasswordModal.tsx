import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../api/hooks.ts';
import { errorMessage } from '../api/client.ts';
import { DialogFooter } from '../components/DialogFooter.tsx';
import { useConfirmRule, usePasswordRules, usePolicyHint } from './passwordPolicy.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

interface Props {
  open: boolean;
  /** The user must change the password before anything else: the dialog cannot be dismissed. */
  forced: boolean;
  onClose: () => void;
  onLogout: () => void;
}

/** Changes the signed-in user's own password. Field ids: changePassword_currentPassword, …_newPassword, …_confirmPassword. */
export function ChangePasswordModal({ open, forced, onClose, onLogout }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const rules = usePasswordRules();
  const confirmRule = useConfirmRule('newPassword');
  const hint = usePolicyHint();

  const submit = (values: Values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          void message.success(t('password.changed'));
          form.resetFields();
          onClose();
        },
      },
    );

  const cancel = () => {
    form.resetFields();
    change.reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={forced ? t('password.forcedTitle') : t('password.title')}
      closable={!forced}
      keyboard={!forced}
      mask={{ closable: false }}
      onCancel={cancel}
      destroyOnHidden
      footer={
        <DialogFooter
          onOk={() => form.submit()}
          okText={t('password.submit')}
          loading={change.isPending}
          testId="change-password-submit"
          onCancel={cancel}
          secondary={forced ? <Button onClick={onLogout}>{t('userMenu.logout')}</Button> : undefined}
        />
      }
    >
      {forced && <Alert type="warning" showIcon title={t('password.forcedHint')} style={{ marginBottom: 16 }} />}
      {change.error && <Alert type="error" showIcon title={errorMessage(change.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="changePassword" layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} rules={rules} extra={<Typography.Text type="secondary">{hint}</Typography.Text>}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('password.required') }, confirmRule]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
