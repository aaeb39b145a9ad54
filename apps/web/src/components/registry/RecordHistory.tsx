import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { registryQueries, type HistoryEntry, type RegistryRecord } from '../../api/registry.ts';
import { useFormatValue } from './FieldValue.tsx';
import type { LedgerSpec, RegistryLabels } from './registrySpec.ts';

const ACTION_COLORS: Record<HistoryEntry['action'], string> = { create: 'green', update: 'blue', delete: 'red', restore: 'purple' };

interface Row {
  key: string;
  field: string;
  before: string;
  after: string;
}

/** A record's changes, newest first: who, when, how (by hand or an import), and each field before and after. Test id record-history. */
export function RecordHistory({ spec, record, labels }: { spec: LedgerSpec; record: RegistryRecord; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const format = useFormatValue(labels);
  const history = useQuery(registryQueries.history(spec.key, record.id));

  if (history.isPending) return <Skeleton active />;
  if (history.isError) return <Alert type="error" showIcon title={errorMessage(history.error)} />;
  if (history.data.length === 0) return <Empty description={t('registry.history.empty')} />;

  const byKey = new Map(spec.fields.map((f) => [f.key, f]));
  const rows = (entry: HistoryEntry): Row[] =>
    Object.entries(entry.changes).map(([key, [before, after]]) => {
      // A tag added or ended on a person is kept in their history as `tag:<code>`.
      if (key.startsWith('tag:')) {
        const mark = (v: unknown) => (v === null || v === undefined ? '' : t('registry.history.tagOn'));
        return { key, field: t('registry.history.tagField', { tag: labels.tagName(key.slice(4)) }), before: mark(before), after: after === null ? t('registry.history.tagOff') : mark(after) };
      }
      const field = byKey.get(key);
      // A reference that still points where it did is named by its record's title.
      const show = (v: unknown) => {
        if (field?.type === 'ref' && v !== null && v === record.values[key] && record.refs[key]) return record.refs[key];
        return field ? format(field, v) : v === null || v === undefined ? '' : String(v);
      };
      return { key, field: field ? labels.field(field) : key, before: show(before), after: show(after) };
    });

  return (
    <div data-testid="record-history">
      <Timeline
        items={history.data.map((entry) => ({
          key: entry.id,
          color: ACTION_COLORS[entry.action],
          content: (
            <Space orientation="vertical" size={4} className="registry-history-entry">
              <Space size={8} wrap>
                <Tag color={ACTION_COLORS[entry.action]}>{t(`registry.history.actions.${entry.action}`)}</Tag>
                <Typography.Text>{formatTime(entry.at)}</Typography.Text>
                <Typography.Text type="secondary">{entry.actorName ?? t('registry.history.system')}</Typography.Text>
                {entry.importId && <Tag>{t('registry.history.viaImport')}</Tag>}
              </Space>
              {Object.keys(entry.changes).length > 0 && (
                <Table<Row>
                  size="small"
                  pagination={false}
                  bordered
                  rowKey="key"
                  dataSource={rows(entry)}
                  columns={[
                    { key: 'field', title: t('registry.history.field'), dataIndex: 'field', width: 150 },
                    { key: 'before', title: t('registry.history.before'), dataIndex: 'before', render: (v: string) => <Typography.Text delete={!!v} type="secondary">{v}</Typography.Text> },
                    { key: 'after', title: t('registry.history.after'), dataIndex: 'after' },
                  ]}
                />
              )}
            </Space>
          ),
        }))}
      />
    </div>
  );
}
