import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '@wangge/contracts';
import zhCN from './zh-CN.ts';
import en from './en.ts';
import registryZh from './registry.zh-CN.ts';
import registryEn from './registry.en.ts';

/** The registry's messages (台账) live in their own files and join the one namespace here. */
const zhMessages = { ...zhCN, registry: registryZh };
const enMessages = { ...en, registry: registryEn };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhMessages };
  }
}

const STORAGE_KEY = 'wangge.lang';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language the user chose before (on this browser), if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhMessages }, en: { translation: enMessages } },
  lng: storedLocale() ?? DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false },
});

function syncDocumentLang(lng: string) {
  document.documentElement.lang = lng;
}
syncDocumentLang(i18n.language);
i18n.on('languageChanged', syncDocumentLang);

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** Switches the UI language and remembers the choice for this browser. */
export function setLocale(locale: Locale): Promise<unknown> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  return i18n.changeLanguage(locale);
}

export function useLocale(): Locale {
  const { i18n: instance } = useTranslation();
  return isLocale(instance.language) ? instance.language : DEFAULT_LOCALE;
}

export default i18n;
