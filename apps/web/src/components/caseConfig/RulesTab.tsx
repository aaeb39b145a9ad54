import { useMemo, useState, type HTMLAttributes } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Input, Popconfirm, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { caseConfigQueries, useRuleMutations, type RoutingRuleView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { useCategories } from './categoryTree.ts';
import { RuleModal, type RuleModalTarget } from './RuleModal.tsx';

/**
 * Routing rules in the order they are tried. Test ids rule-add, rule-search, rule-table,
 * rule-row-<seq>, rule-edit-<seq>, rule-delete-<seq>, rule-active-<seq>.
 */
export function RulesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useQuery(caseConfigQueries.rules());
  const categories = useCategories();
  const { update, remove } = useRuleMutations();
  const [q, setQ] = useState('');
  const [modal, setModal] = useState<RuleModalTarget>(null);

  // Category names in the UI language, from the tree (the rule list names them in Chinese).
  const categoryOf = (r: RoutingRuleView) => (r.categoryId ? categories.path(r.categoryId) || r.categoryName : null);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = rules.data ?? [];
    if (!needle) return all;
    return all.filter((r) =>
      [r.name, r.categoryName ?? '', r.categoryId ? categories.path(r.categoryId) : '', r.areaName ?? '', r.unitName, String(r.seq)].some((s) =>
        s.toLowerCase().includes(needle),
      ),
    );
  }, [rules.data, q, categories]);

  const nextSeq = () => Math.min(1_000_000, Math.max(0, ...(rules.data ?? []).map((r) => r.seq)) + 10);

  const toggle = (r: RoutingRuleView, active: boolean) =>
    update.mutate(
      { id: r.id, body: { seq: r.seq, name: r.name, categoryId: r.categoryId, areaId: r.areaId, unitId: r.unitId, active } },
      {
        onSuccess: () => void message.success(t(active ? 'caseConfig.rules.enabled' : 'caseConfig.rules.disabled')),
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  const confirmDelete = (r: RoutingRuleView) =>
    remove
      .mutateAsync(r.id)
      .then(() => void message.success(t('caseConfig.rules.deleted')))
      .catch((error: unknown) => void message.error(errorMessage(error)));

  const any = (text: string) => <Tag className="cc-any">{text}</Tag>;

  const columns: TableColumnsType<RoutingRuleView> = [
    { key: 'seq', title: t('caseConfig.rules.seq'), dataIndex: 'seq', width: 70, align: 'right', render: (v: number) => <span className="cc-seq">{v}</span> },
    { key: 'name', title: t('caseConfig.rules.name'), dataIndex: 'name', width: 220, ellipsis: true, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { key: 'category', title: t('caseConfig.rules.category'), width: 180, render: (_v, r) => categoryOf(r) ?? any(t('caseConfig.rules.anyCategory')) },
    { key: 'area', title: t('caseConfig.rules.area'), width: 150, render: (_v, r) => r.areaName ?? any(t('caseConfig.rules.anyArea')) },
    { key: 'unit', title: t('caseConfig.rules.unit'), dataIndex: 'unitName', width: 220, ellipsis: true },
    {
      key: 'active',
      title: t('caseConfig.common.status'),
      width: 80,
      render: (_v, r) =>
        canEdit ? (
          <Switch
            size="small"
            checked={r.active}
            loading={update.isPending && update.variables?.id === r.id}
            onChange={(on) => toggle(r, on)}
            aria-label={t('caseConfig.common.status')}
            data-testid={`rule-active-${r.seq}`}
          />
        ) : r.active ? (
          <Tag color="green">{t('caseConfig.common.active')}</Tag>
        ) : (
          <Tag>{t('caseConfig.common.inactive')}</Tag>
        ),
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      fixed: 'end',
      render: (_v, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setModal({ rule: r, nextSeq: r.seq })} data-testid={`rule-edit-${r.seq}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('caseConfig.rules.deleteConfirm', { name: r.name })} okButtonProps={{ danger: true }} onConfirm={() => confirmDelete(r)}>
            <Button type="link" size="small" danger data-testid={`rule-delete-${r.seq}`}>
              {t('caseConfig.common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <>
      <Alert type="info" showIcon title={t('caseConfig.rules.explain')} className="page-alert" data-testid="rule-explain" />
      <div className="cc-toolbar">
        <Input.Search allowClear value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('caseConfig.rules.search')} className="cc-search" data-testid="rule-search" />
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ rule: null, nextSeq: nextSeq() })} data-testid="rule-add">
            {t('caseConfig.rules.add')}
          </Button>
        )}
      </div>
      {rules.isError && <Alert type="error" showIcon title={errorMessage(rules.error)} className="page-alert" />}
      <div data-testid="rule-table">
        <Table<RoutingRuleView>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={shown}
          loading={rules.isFetching && !rules.data}
          rowClassName={(r) => (r.active ? '' : 'cc-row-inactive')}
          onRow={(r) => ({ 'data-testid': `rule-row-${r.seq}` }) as HTMLAttributes<HTMLElement>}
          scroll={{ x: 1040 }}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        />
      </div>
      <RuleModal target={modal} onClose={() => setModal(null)} />
    </>
  );
}
