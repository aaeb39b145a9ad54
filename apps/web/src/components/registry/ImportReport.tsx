import { useEffect, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Progress, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { importErrorsHref, registryQueries, type ImportView } from '../../api/registry.ts';
import { LEDGER_SPECS, type RegistryLabels } from './registrySpec.ts';

export const STATUS_COLORS: Record<ImportView['status'], string> = { running: 'processing', done: 'success', failed: 'error', rolled_back: 'default' };

type RowError = ImportView['errors'][number];
type RowChange = ImportView['changes'][number];

/**
 * One import as it runs and after: the progress bar (rows done of rows), what was added, updated,
 * unchanged or failed, each failed row with its column and reason (the full list as errors.xlsx),
 * and what each update changed. Asked again every second while it runs. Test ids import-report,
 * import-progress, import-status, import-count-<kind>, import-errors, import-errors-download.
 */
export function ImportReport({ importId, labels }: { importId: string; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const formatTime = useFormatTime();
  const view = useQuery(registryQueries.importView(importId));
  const status = view.data?.status;
  const last = useRef(status);

  // When it finishes (even before the first poll), the ledgers, figures and the list of imports have changed.
  useEffect(() => {
    if (status && status !== 'running' && last.current !== status) {
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'registry' && q.queryKey[1] !== 'import' });
      void qc.invalidateQueries({ queryKey: ['grids'] });
    }
    last.current = status;
  }, [status, qc]);

  if (view.isPending) return <Skeleton active />;
  if (view.isError) return <Alert type="error" showIcon title={errorMessage(view.error)} />;
  const v = view.data;
  const spec = LEDGER_SPECS[v.ledger];
  const columnLabel = (column: string | null) => {
    if (!column) return '—';
    const f = spec.fields.find((x) => x.key === column);
    return f ? labels.field(f) : column;
  };
  const pct = v.rowsTotal > 0 ? Math.floor((v.rowsDone / v.rowsTotal) * 100) : v.status === 'running' ? 0 : 100;

  return (
    <div className="registry-import-report" data-testid="import-report" data-status={v.status}>
      <Typography.Title level={5}>
        {t('registry.imports.current', { file: v.fileName })}{' '}
        <Tag color={STATUS_COLORS[v.status]} data-testid="import-status">
          {t(`registry.imports.statuses.${v.status}`)}
        </Tag>
      </Typography.Title>
      <Progress
        data-testid="import-progress"
        percent={pct}
        status={v.status === 'failed' ? 'exception' : v.status === 'running' ? 'active' : 'success'}
      />
      <Typography.Paragraph type="secondary" data-testid="import-rows">
        {t('registry.imports.progress', { done: v.rowsDone, total: v.rowsTotal })}
      </Typography.Paragraph>
      {v.message && <Alert type={v.status === 'failed' ? 'error' : 'info'} showIcon title={v.message} className="registry-import-message" />}
      <Space size={32} className="registry-import-counts">
        {(['created', 'updated', 'unchanged', 'failed'] as const).map((k) => (
          <Statistic
            key={k}
            title={t(`registry.imports.counts.${k}`)}
            value={v[k]}
            styles={k === 'failed' && v.failed > 0 ? { content: { color: '#cf1322' } } : undefined}
            data-testid={`import-count-${k}`}
          />
        ))}
      </Space>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'ledger', label: t('registry.imports.ledger'), children: labels.ledger(v.ledger) },
          { key: 'actor', label: t('registry.imports.actor'), children: v.actorName ?? '—' },
          { key: 'at', label: t('registry.imports.startedAt'), children: formatTime(v.createdAt) },
        ]}
      />
      {v.failed > 0 && (
        <div data-testid="import-errors">
          <Space className="registry-import-section">
            <Typography.Text strong>{t('registry.imports.errors')}</Typography.Text>
            <Button size="small" icon={<DownloadOutlined />} href={importErrorsHref(v.id)} download data-testid="import-errors-download">
              {t('registry.imports.errorsDownload')}
            </Button>
            {v.failed > v.errors.length && <Typography.Text type="secondary">{t('registry.imports.errorsTruncated', { count: v.errors.length })}</Typography.Text>}
          </Space>
          <Table<RowError>
            size="small"
            rowKey={(e) => `${e.row}.${e.column ?? ''}.${e.code}`}
            dataSource={v.errors}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { key: 'row', title: t('registry.imports.row'), width: 70, dataIndex: 'row' },
              { key: 'column', title: t('registry.imports.column'), width: 160, render: (_x, e) => columnLabel(e.column) },
              { key: 'reason', title: t('registry.imports.reason'), dataIndex: 'reason' },
            ]}
          />
        </div>
      )}
      {v.changes.length > 0 && (
        <div data-testid="import-changes">
          <Typography.Text strong className="registry-import-section">{t('registry.imports.changes')}</Typography.Text>
          <Table<RowChange>
            size="small"
            rowKey={(c) => `${c.row}.${c.id}`}
            dataSource={v.changes}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { key: 'row', title: t('registry.imports.row'), width: 70, dataIndex: 'row' },
              { key: 'title', title: t('registry.imports.record'), width: 200, dataIndex: 'title' },
              { key: 'fields', title: t('registry.imports.changedFields'), render: (_x, c) => c.fields.map(columnLabel).join(t('registry.common.listSep')) },
            ]}
          />
        </div>
      )}
    </div>
  );
}
