import { useTranslation } from 'react-i18next';

/** The product's mark and name: 网格通 with "Wangge" (or the other way round in English). */
export function BrandMark({ large = false }: { large?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={large ? 'brand brand-large' : 'brand'}>
      <svg className="brand-logo" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#1677ff" />
        <path d="M8 8h16v16H8zM16 8v16M8 16h16" stroke="#fff" strokeWidth="2.5" fill="none" />
      </svg>
      <span className="brand-name">{t('app.name')}</span>
      <span className="brand-alt">{t('app.nameAlt')}</span>
    </span>
  );
}
