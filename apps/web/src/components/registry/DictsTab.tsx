import { useState } from 'react';
import { Alert, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { DictTable } from '../../api/registry.ts';
import { LEDGER_SPECS, LEDGERS, type RegistryLabels } from './registrySpec.ts';

type Item = DictTable['items'][number];

/** The code tables (GB/T and local), read-only: pick one, see its codes. Test ids dicts, dict-select. */
export function DictsTab({ labels }: { labels: RegistryLabels }) {
  const { t } = useTranslation();
  const [name, setName] = useState<string | undefined>();
  const dicts = labels.dicts;
  const dict = dicts.find((d) => d.name === name) ?? dicts[0];
  // A table is named by the fields that use it (民族 for `ethnicity`), falling back to its name.
  const usedBy = (dictName: string) => {
    const names = new Set(LEDGERS.flatMap((l) => LEDGER_SPECS[l].fields.filter((f) => f.dict === dictName).map((f) => labels.field(f))));
    return names.size > 0 ? `${[...names].join(t('registry.common.listSep'))} (${dictName})` : dictName;
  };

  return (
    <div data-testid="dicts">
      {labels.error && <Alert type="error" showIcon title={errorMessage(labels.error)} className="page-alert" />}
      <Space wrap className="registry-tab-action">
        <Typography.Text>{t('registry.settings.dict')}</Typography.Text>
        <Select
          data-testid="dict-select"
          value={dict?.name}
          onChange={setName}
          showSearch={{ optionFilterProp: 'label' }}
          options={dicts.map((d) => ({ value: d.name, label: usedBy(d.name) }))}
          style={{ minWidth: 260 }}
          popupMatchSelectWidth={false}
          loading={labels.loading}
        />
        {dict && <Typography.Text type="secondary">{t('registry.settings.dictSource', { source: dict.source, version: dict.version })}</Typography.Text>}
      </Space>
      <Table<Item>
        rowKey="code"
        size="small"
        dataSource={dict?.items ?? []}
        loading={labels.loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { key: 'code', title: t('registry.settings.dictCode'), width: 100, render: (_v, i) => <code>{i.code}</code> },
          { key: 'zh', title: t('registry.settings.dictLabelZh'), dataIndex: 'labelZh' },
          { key: 'en', title: t('registry.settings.dictLabelEn'), dataIndex: 'labelEn' },
          { key: 'parent', title: t('registry.settings.dictParent'), width: 100, render: (_v, i) => i.parent ?? '' },
          {
            key: 'active',
            title: t('registry.settings.dictActive'),
            width: 90,
            render: (_v, i) => (i.active ? <Tag color="green">{t('registry.settings.active')}</Tag> : <Tag>{t('registry.settings.inactive')}</Tag>),
          },
        ]}
      />
    </div>
  );
}
