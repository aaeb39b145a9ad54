import type { ReactNode } from 'react';
import { ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useLocale } from '../i18n/index.ts';

const theme: ThemeConfig = {
  token: { colorPrimary: '#1677ff', borderRadius: 6 },
  components: { Layout: { headerHeight: 56, headerPadding: '0 16px', headerBg: '#fff', siderBg: '#fff' } },
};

/** antd speaks the UI language. (antd's App, for message and modal, wraps the console only.) */
export function AntdProvider({ children }: { children: ReactNode }) {
  const locale = useLocale();
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={theme}>
      {children}
    </ConfigProvider>
  );
}
