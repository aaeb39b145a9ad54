import { Alert, App, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UserView } from '@wangge/contracts';
import { useUserMutations } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { usePasswordRules, usePolicyHint } from '../../auth/passwordPolicy.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { NewPasswordInput } from './NewPasswordInput.tsx';

interface Props {
  user: UserView | null;
  onClose: () => void;
}

/** An administrator sets a new password for a user. Field id resetPassword_newPassword; submit test id reset-password-submit. */
export function ResetPasswordModal({ user, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const { resetPassword } = useUserMutations();
  const rules = usePasswordRules();
  const hint = usePolicyHint();

  const close = () => {
    resetPassword.reset();
    form.resetFields();
    onClose();
  };

  const submit = ({ newPassword }: { newPassword: string }) => {
    if (!user) return;
    resetPassword.mutate(
      { id: user.id, newPassword },
      {
        onSuccess: () => {
          void message.success(t('users.passwordReset'));
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={user !== null}
      title={t('users.resetTitle', { name: user?.displayName ?? '' })}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={resetPassword.isPending} testId="reset-password-submit" />}
    >
      <Typography.Paragraph type="secondary">{t('users.resetHint')}</Typography.Paragraph>
      {resetPassword.error && <Alert type="error" showIcon title={errorMessage(resetPassword.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="resetPassword" layout="vertical" onFinish={submit}>
        <Form.Item name="newPassword" label={t('password.new')} rules={rules} extra={hint}>
          <NewPasswordInput />
        </Form.Item>
      </Form>
    </Modal>
  );
}
