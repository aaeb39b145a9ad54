import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { registryQueries, useRecordMutations, type RegistryRecord } from '../../api/registry.ts';
import { useCan } from '../../auth/session.tsx';
import { FieldValue } from './FieldValue.tsx';
import { RecordHistory } from './RecordHistory.tsx';
import { hasRelations, RelatedLists } from './RelatedLists.tsx';
import { PersonTagsPanel } from './PersonTagsPanel.tsx';
import { LEDGER_SPECS, recordTitle, type LedgerKey, type RegistryLabels } from './registrySpec.ts';

interface Props {
  /** The record shown, or null (closed). */
  open: { ledger: LedgerKey; id: string } | null;
  labels: RegistryLabels;
  onClose: () => void;
  onEdit: (record: RegistryRecord) => void;
  onOpen: (ledger: LedgerKey, id: string) => void;
  onAdd: (ledger: LedgerKey, preset: Record<string, unknown>, refs: Record<string, string>) => void;
}

/**
 * One record: every field of its ledger (derived ones too), its grid and version; edit and
 * delete; what points to it; its history; for people, their care and special-group tags.
 * Test ids record-detail, record-field-<key>, record-edit, record-delete, record-tab-<tab>.
 */
export function RecordDetailDrawer({ open, labels, onClose, onEdit, onOpen, onAdd }: Props) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const can = useCan();
  const formatTime = useFormatTime();
  const ledger = open?.ledger ?? 'persons';
  const spec = LEDGER_SPECS[ledger];
  const detail = useQuery({ ...registryQueries.detail(ledger, open?.id ?? ''), enabled: open !== null });
  const { remove } = useRecordMutations(ledger);
  const [tab, setTab] = useState('fields');
  const record = detail.data;
  const title = record ? recordTitle(spec, record.values) : '';

  const confirmDelete = (r: RegistryRecord) =>
    void modal.confirm({
      title: t('registry.detail.deleteConfirm', { title }),
      okButtonProps: { danger: true, 'data-testid': 'record-delete-confirm' },
      onOk: () =>
        remove
          .mutateAsync({ id: r.id, version: r.version })
          .then(() => {
            void message.success(t('registry.detail.deleted'));
            onClose();
          })
          .catch((error: unknown) => void message.error(errorMessage(error))),
    });

  const body = () => {
    if (detail.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
    if (detail.isError) return <Alert type="error" showIcon title={errorMessage(detail.error)} />;
    const r = detail.data;
    const fields = (
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        data-testid="record-fields"
        items={[
          ...spec.fields.map((f) => ({
            key: f.key,
            label: f.derived ? <span title={t('registry.form.derivedHint')}>{labels.field(f)}</span> : labels.field(f),
            children: (
              <span data-testid={`record-field-${f.key}`}>
                <FieldValue record={r} field={f} labels={labels} />
              </span>
            ),
          })),
          { key: '_grid', label: t('registry.common.grid'), children: <span>{r.gridName} <Typography.Text type="secondary">{r.gridCode}</Typography.Text></span> },
          { key: '_created', label: t('registry.common.createdAt'), children: formatTime(r.createdAt) },
          { key: '_updated', label: t('registry.common.updatedAt'), children: formatTime(r.updatedAt) },
          { key: '_version', label: t('registry.common.version'), children: r.version },
        ]}
      />
    );
    const items = [
      { key: 'fields', label: t('registry.detail.tabs.fields'), children: fields },
      ...(hasRelations(ledger)
        ? [{ key: 'related', label: t('registry.detail.tabs.related'), children: <RelatedLists ledger={ledger} id={r.id} title={title} labels={labels} onOpen={onOpen} onAdd={onAdd} /> }]
        : []),
      ...(ledger === 'persons'
        ? [{ key: 'tags', label: t('registry.detail.tabs.tags'), children: <PersonTagsPanel personId={r.id} personName={title} labels={labels} /> }]
        : []),
      { key: 'history', label: t('registry.detail.tabs.history'), children: <RecordHistory spec={spec} record={r} labels={labels} /> },
    ].map((item) => ({ ...item, label: <span data-testid={`record-tab-${item.key}`}>{item.label}</span> }));
    return <Tabs activeKey={items.some((i) => i.key === tab) ? tab : 'fields'} onChange={setTab} items={items} destroyOnHidden />;
  };

  return (
    <Drawer
      open={open !== null}
      size={860}
      onClose={onClose}
      afterOpenChange={(visible) => !visible && setTab('fields')}
      rootClassName="registry-detail"
      title={
        <Space size={8} data-testid="record-detail-title">
          <span>{title}</span>
          <Tag>{labels.ledger(ledger)}</Tag>
          {record?.importId && <Tag color="blue">{t('registry.detail.importedBy')}</Tag>}
        </Space>
      }
      extra={
        record &&
        can('registry.manage') && (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => onEdit(record)} data-testid="record-edit">
              {t('registry.detail.edit')}
            </Button>
            <Button danger icon={<DeleteOutlined />} onClick={() => confirmDelete(record)} data-testid="record-delete">
              {t('registry.detail.delete')}
            </Button>
          </Space>
        )
      }
    >
      <div data-testid="record-detail">{body()}</div>
    </Drawer>
  );
}
