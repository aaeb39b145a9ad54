import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Card, Tabs, type TabsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { DictsTab } from '../components/registry/DictsTab.tsx';
import { TagDefsTab } from '../components/registry/TagDefsTab.tsx';
import { useRegistryLabels } from '../components/registry/registrySpec.ts';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

const TABS = ['tags', 'dicts'] as const;
type Tab = (typeof TABS)[number];

/**
 * /registry/settings?tab=tags|dicts — the care and special-group tags (edited by registry.configure
 * holders) and the code tables (read-only). Tab test ids registry-settings-tab-<tab>.
 */
export default function RegistrySettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.settings.title'));
  const can = useCan();
  const labels = useRegistryLabels();
  const [params, setParams] = useSearchParams();
  const canEdit = can('registry.configure');

  if (!canEdit && !can('registry.read')) return <ErrorPage status="403" />;

  const asked = params.get('tab') as Tab | null;
  const active: Tab = asked && TABS.includes(asked) ? asked : 'tags';
  const content: Record<Tab, ReactNode> = {
    tags: <TagDefsTab canEdit={canEdit} labels={labels} />,
    dicts: <DictsTab labels={labels} />,
  };
  const items: TabsProps['items'] = TABS.map((tab) => ({
    key: tab,
    label: <span data-testid={`registry-settings-tab-${tab}`}>{t(`registry.settings.tabs.${tab}`)}</span>,
    children: content[tab],
  }));

  return (
    <Card title={t('registry.settings.title')} className="registry-page">
      {!canEdit && <Alert type="info" showIcon title={t('registry.settings.readOnly')} className="page-alert" />}
      <Tabs activeKey={active} onChange={(key) => setParams({ tab: key }, { replace: true })} items={items} destroyOnHidden />
    </Card>
  );
}
