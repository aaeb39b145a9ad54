import { useEffect } from 'react';
import { Alert, App, Drawer, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOCALES, ROLES, type CreateUserInput, type UserView } from '@wangge/contracts';
import { useUserMutations } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { useLabels } from '../../i18n/labels.ts';
import { usePasswordRules, usePolicyHint } from '../../auth/passwordPolicy.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { AreaTreeSelect } from '../AreaTreeSelect.tsx';
import { NewPasswordInput } from './NewPasswordInput.tsx';

type Values = Required<CreateUserInput>;

/** `null`: closed; `'new'`: create a user; a user: edit their name and language. */
export type UserDrawerTarget = UserView | 'new' | null;

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

/** Create or edit a user. Field ids userForm_<field>; submit test id user-form-submit. */
export function UserDrawer({ target, onClose }: { target: UserDrawerTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useLabels();
  const [form] = Form.useForm<Values>();
  const { create, update } = useUserMutations();
  const passwordRules = usePasswordRules();
  const hint = usePolicyHint();
  const creating = target === 'new';
  const editing = target !== null && target !== 'new' ? target : null;
  const mutation = creating ? create : update;

  useEffect(() => {
    if (editing) form.setFieldsValue({ displayName: editing.displayName, locale: editing.locale });
  }, [editing, form]);

  const close = () => {
    create.reset();
    update.reset();
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    const done = (text: string) => {
      void message.success(text);
      close();
    };
    if (editing) {
      update.mutate(
        { id: editing.id, displayName: values.displayName.trim(), locale: values.locale },
        { onSuccess: () => done(t('users.saved')) },
      );
    } else {
      create.mutate(
        { ...values, username: values.username.trim(), displayName: values.displayName.trim() },
        { onSuccess: (user) => done(t('users.created', { name: user.displayName })) },
      );
    }
  };

  return (
    <Drawer
      open={target !== null}
      title={editing ? t('users.editTitle', { name: editing.username }) : t('users.createTitle')}
      size={480}
      onClose={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="user-form-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="userForm" layout="vertical" onFinish={submit} initialValues={{ locale: 'zh-CN' }}>
        {creating && (
          <Form.Item
            name="username"
            label={t('users.username')}
            extra={t('users.usernameHint')}
            rules={[{ required: true }, { pattern: USERNAME, message: t('users.usernameHint') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, max: 64 }]}>
          <Input maxLength={64} />
        </Form.Item>
        {creating && (
          <Form.Item name="password" label={t('users.initialPassword')} rules={passwordRules} extra={`${hint} ${t('users.initialPasswordHint')}`}>
            <NewPasswordInput />
          </Form.Item>
        )}
        <Form.Item name="locale" label={t('users.locale')} rules={[{ required: true }]}>
          <Select options={LOCALES.map((l) => ({ value: l, label: t(l === 'en' ? 'lang.en' : 'lang.zh') }))} />
        </Form.Item>
        {creating && (
          <>
            <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.pick', { field: t('users.role') }) }]}>
              <Select options={ROLES.map((r) => ({ value: r, label: labels.role(r) }))} />
            </Form.Item>
            <Form.Item name="areaId" label={t('users.area')} rules={[{ required: true, message: t('common.pick', { field: t('users.area') }) }]} extra={t('users.grantHint')}>
              <AreaTreeSelect />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
