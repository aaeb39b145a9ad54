import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Card, Tabs, type TabsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import ErrorPage from './ErrorPage.tsx';
import { CategoriesTab } from '../components/caseConfig/CategoriesTab.tsx';
import { RulesTab } from '../components/caseConfig/RulesTab.tsx';
import { UnitsTab } from '../components/caseConfig/UnitsTab.tsx';
import { CalendarTab } from '../components/caseConfig/CalendarTab.tsx';
import { WebhooksTab } from '../components/caseConfig/WebhooksTab.tsx';
import '../components/caseConfig/caseConfig.css';

const TABS = ['categories', 'rules', 'units', 'calendar', 'webhooks'] as const;
type Tab = (typeof TABS)[number];

/** Permissions whose holders work cases and so may read the settings (the server's rule). */
const READERS = ['case.configure', 'case.dispatch', 'case.report', 'case.read', 'case.handle'];

/**
 * /case-config?tab=categories|rules|units|calendar|webhooks — the case settings. Everyone who
 * works cases reads them; case.configure holders change them (and alone see the webhooks).
 * Tab test ids case-config-tab-<tab>; read-only notice case-config-readonly.
 */
export default function CaseConfigPage() {
  const { t } = useTranslation();
  usePageTitle(t('caseConfig.title'));
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const canEdit = can('case.configure');

  if (!READERS.some(can)) return <ErrorPage status="403" />;

  const visible = TABS.filter((tab) => tab !== 'webhooks' || canEdit);
  const asked = params.get('tab') as Tab | null;
  const active: Tab = asked && visible.includes(asked) ? asked : 'categories';

  const content: Record<Tab, ReactNode> = {
    categories: <CategoriesTab canEdit={canEdit} />,
    rules: <RulesTab canEdit={canEdit} />,
    units: <UnitsTab />,
    calendar: <CalendarTab canEdit={canEdit} />,
    webhooks: <WebhooksTab />,
  };
  const items: TabsProps['items'] = visible.map((tab) => ({
    key: tab,
    label: <span data-testid={`case-config-tab-${tab}`}>{t(`caseConfig.tabs.${tab}`)}</span>,
    children: content[tab],
  }));

  return (
    <Card title={t('caseConfig.title')} className="case-config">
      {!canEdit && <Alert type="info" showIcon title={t('caseConfig.readOnly')} className="page-alert" data-testid="case-config-readonly" />}
      <Tabs activeKey={active} onChange={(key) => setParams({ tab: key }, { replace: true })} items={items} destroyOnHidden />
    </Card>
  );
}
