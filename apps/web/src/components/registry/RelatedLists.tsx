import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { registryQueries, type RegistryRecord } from '../../api/registry.ts';
import { useCan } from '../../auth/session.tsx';
import { useRecordColumns } from './useRecordColumns.tsx';
import { LEDGER_SPECS, relationsOf, type LedgerKey, type Relation, type RegistryLabels } from './registrySpec.ts';

const SHOWN = 50;

interface Props {
  ledger: LedgerKey;
  id: string;
  /** The record's title, named in the form of a record added here. */
  title: string;
  labels: RegistryLabels;
  onOpen: (ledger: LedgerKey, id: string) => void;
  onAdd: (ledger: LedgerKey, preset: Record<string, unknown>, refs: Record<string, string>) => void;
}

/** Everything that points to a record (a household's members, a house's households and residents, a building's houses…). */
export function RelatedLists({ ledger, id, title, labels, onOpen, onAdd }: Props) {
  return (
    <Space orientation="vertical" size={12} className="registry-related" style={{ width: '100%' }}>
      {relationsOf(ledger).map((rel) => (
        <RelatedList key={`${rel.ledger}.${rel.field.key}`} relation={rel} id={id} title={title} labels={labels} onOpen={onOpen} onAdd={onAdd} />
      ))}
    </Space>
  );
}

/** Whether a record of `ledger` has anything pointing to it in the ledger table (the tab is shown only then). */
export const hasRelations = (ledger: LedgerKey) => relationsOf(ledger).length > 0;

function RelatedList({ relation, id, title, labels, onOpen, onAdd }: { relation: Relation } & Omit<Props, 'ledger'>) {
  const { t } = useTranslation();
  const can = useCan();
  const spec = LEDGER_SPECS[relation.ledger];
  const list = useQuery(registryQueries.list(relation.ledger, { fields: { [relation.field.key]: id }, page: 1, pageSize: SHOWN }));
  // The field pointing back here is the same on every row: left out.
  const shown = useMemo(() => ({ ...spec, fields: spec.fields.filter((f) => f.key !== relation.field.key) }), [spec, relation.field.key]);
  const { columns, width } = useRecordColumns(shown, labels);
  const total = list.data?.total ?? 0;

  return (
    <Card
      size="small"
      data-testid={`related-${relation.ledger}-${relation.field.key}`}
      title={
        <span>
          {t('registry.detail.relatedTitle', { ledger: labels.ledger(relation.ledger), field: labels.field(relation.field) })}{' '}
          <Typography.Text type="secondary">{total}</Typography.Text>
        </span>
      }
      extra={
        can('registry.manage') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => onAdd(relation.ledger, { [relation.field.key]: id }, { [relation.field.key]: title })} data-testid={`related-add-${relation.ledger}`}>
            {t('registry.list.create')}
          </Button>
        )
      }
    >
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<RegistryRecord>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={false}
        scroll={{ x: width }}
        locale={{ emptyText: t('registry.detail.relatedEmpty') }}
        onRow={(r) => ({ onClick: () => onOpen(relation.ledger, r.id), className: 'clickable-row' })}
      />
      {total > SHOWN && <Typography.Text type="secondary">{t('registry.detail.relatedMore', { total, shown: SHOWN })}</Typography.Text>}
    </Card>
  );
}
