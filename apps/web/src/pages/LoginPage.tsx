import { Navigate, useLocation } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLogin, useMe, useMeta } from '../api/hooks.ts';
import { errorMessage } from '../api/client.ts';
import { setLocale, storedLocale } from '../i18n/index.ts';
import { useSessionControl } from '../auth/session.tsx';
import type { LoginState } from '../auth/RequireAuth.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { BrandMark } from '../components/BrandMark.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';

interface Values {
  username: string;
  password: string;
}

const REASON_ALERTS = {
  expired: { type: 'warning', key: 'login.expired' },
  idle: { type: 'warning', key: 'login.idle' },
  logout: { type: 'success', key: 'login.loggedOut' },
} as const;

/** /login — test ids: #username, #password, login-submit, lang-switch, login-error, login-notice. */
export default function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const me = useMe();
  const meta = useMeta();
  const login = useLogin();
  const { reason, clearReason } = useSessionControl();

  if (me.data) {
    const from = state.from;
    const target = from && from.pathname !== '/login' ? `${from.pathname}${from.search}${from.hash}` : '/areas';
    return <Navigate to={target} replace />;
  }

  const why = state.reason ?? reason;
  const notice = why ? REASON_ALERTS[why] : null;

  const submit = (values: Values) =>
    login.mutate(values, {
      onSuccess: ({ user }) => {
        clearReason();
        // A browser where nobody has picked a language yet adopts the user's own (and remembers it).
        if (!storedLocale() && user.locale !== 'zh-CN') void setLocale(user.locale);
      },
    });

  return (
    <div className="login-page">
      <div className="login-lang">
        <LangSwitch size="middle" />
      </div>
      <main className="login-card">
        <div className="login-head">
          <BrandMark large />
          <p className="login-tagline">{t('app.tagline')}</p>
        </div>
        {notice && !login.error && (
          <Alert data-testid="login-notice" type={notice.type} showIcon title={t(notice.key)} className="login-alert" />
        )}
        {login.error && <Alert data-testid="login-error" type="error" showIcon title={errorMessage(login.error)} className="login-alert" />}
        <Form<Values> layout="vertical" size="large" onFinish={submit} requiredMark={false} disabled={login.isPending}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input id="username" prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {meta.data?.demo && (
          <p className="login-demo" data-testid="demo-hint">
            {t('login.demoHint')}
          </p>
        )}
      </main>
      <footer className="login-footer">
        {t('app.nameAlt')}
        {meta.data ? ` · ${t('login.version', { version: meta.data.version })}` : ''}
      </footer>
    </div>
  );
}
