import { Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { Locale } from '@wangge/contracts';
import { setLocale, useLocale } from '../i18n/index.ts';

const OPTIONS: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

/**
 * 中文 / English. Test ids: `lang-switch` (the control), `lang-option-zh-CN` and `lang-option-en` (the choices).
 * Answers the server localises (area names of grants, error messages) are fetched again.
 */
export function LangSwitch({ size = 'small' }: { size?: 'small' | 'middle' }) {
  const locale = useLocale();
  const qc = useQueryClient();
  const change = (value: Locale) => {
    void setLocale(value).then(() => qc.invalidateQueries());
  };
  return (
    <Segmented<Locale>
      data-testid="lang-switch"
      size={size}
      value={locale}
      onChange={change}
      options={OPTIONS.map((o) => ({ value: o.value, label: <span data-testid={`lang-option-${o.value}`}>{o.label}</span> }))}
    />
  );
}
