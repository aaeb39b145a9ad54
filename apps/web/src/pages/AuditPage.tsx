import { useState } from 'react';
import { Alert, Button, Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '@wangge/contracts';
import { useAudit, useFormatTime, useVerifyAudit, type AuditFilter } from '../api/hooks.ts';
import { errorMessage } from '../api/client.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AuditFilters } from '../components/audit/AuditFilters.tsx';
import { useAuditLabels } from '../components/audit/auditLabels.ts';

/** /audit — test ids audit-verify, audit-verify-result, audit-table; a row's diff is in its expanded row (pre.json-block). */
export default function AuditPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.audit'));
  const labels = useAuditLabels();
  const formatTime = useFormatTime();
  const [filter, setFilter] = useState<AuditFilter>({ page: 1, pageSize: 50 });
  const audit = useAudit(filter);
  const verify = useVerifyAudit();

  const columns: TableColumnsType<AuditEntry> = [
    { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 150, render: (v: string) => formatTime(v) },
    {
      key: 'actor',
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 130,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      key: 'action',
      title: t('audit.action'),
      dataIndex: 'action',
      width: 180,
      render: (v: string) => (
        <>
          <Tag color={v.endsWith('failed') || v.endsWith('locked') ? 'red' : 'blue'}>{labels.action(v)}</Tag>
          <Typography.Text type="secondary" className="audit-code">
            {v}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'entity',
      title: t('audit.entity'),
      render: (_v, row) => (
        <span>
          {labels.entityType(row.entityType)}
          {row.entityId && (
            <Typography.Text type="secondary" copyable={{ text: row.entityId }} className="audit-entity-id">
              {row.entityId}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'ip', width: 130 },
    {
      key: 'requestId',
      title: t('audit.requestId'),
      dataIndex: 'requestId',
      width: 160,
      ellipsis: true,
      render: (v: string | null) => v && <Typography.Text copyable={{ text: v }}>{v}</Typography.Text>,
    },
  ];

  const verifyResult = () => {
    if (verify.error) return <Alert type="error" showIcon title={errorMessage(verify.error)} />;
    const result = verify.data;
    if (!result) return null;
    return result.ok ? (
      <Alert type="success" showIcon title={t('audit.verifyOk', { checked: result.checked })} />
    ) : (
      <Alert
        type="error"
        showIcon
        title={t('audit.verifyBroken', { id: result.firstBrokenId ?? '?', checked: result.checked })}
        description={result.reason ? t('audit.reason', { reason: result.reason }) : undefined}
      />
    );
  };

  return (
    <Card
      title={t('nav.audit')}
      extra={
        <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      }
    >
      {(verify.data || verify.error) && (
        <div className="page-alert" data-testid="audit-verify-result">
          {verifyResult()}
        </div>
      )}
      <AuditFilters onChange={(criteria) => setFilter((f) => ({ ...criteria, page: 1, pageSize: f.pageSize }))} />
      {audit.isError && <Alert type="error" showIcon title={errorMessage(audit.error)} className="page-alert" />}
      <div data-testid="audit-table">
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={audit.data?.items ?? []}
          loading={audit.isFetching}
          scroll={{ x: 1000 }}
          expandable={{
            rowExpandable: (row) => row.diff !== null && row.diff !== undefined,
            expandedRowRender: (row) => <pre className="json-block">{JSON.stringify(row.diff, null, 2)}</pre>,
          }}
          pagination={{
            current: filter.page,
            pageSize: filter.pageSize,
            total: audit.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
          }}
        />
      </div>
    </Card>
  );
}
