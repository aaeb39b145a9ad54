import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Divider, Drawer, Form, Input, InputNumber, Radio, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { registryQueries, useTagDefMutations, type TagDef, type TagDefInput } from '../../api/registry.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { TagFieldsEditor } from './TagFieldsEditor.tsx';
import type { RegistryLabels } from './registrySpec.ts';

const CODE = /^[a-z0-9_]{2,30}$/;
const KIND_COLORS = { care: 'cyan', special: 'volcano' } as const;

type Target = { kind: 'new' } | { kind: 'edit'; def: TagDef } | null;

/** The care and special-group tags with their visit intervals and follow-up fields; registry.configure edits them. Test ids tag-defs, tag-def-<code>, tag-def-create. */
export function TagDefsTab({ canEdit, labels }: { canEdit: boolean; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const tags = useQuery(registryQueries.tags());
  const [target, setTarget] = useState<Target>(null);

  const columns: TableColumnsType<TagDef> = [
    { key: 'code', title: t('registry.settings.tagCode'), width: 140, render: (_v, d) => <code>{d.code}</code> },
    { key: 'name', title: t('registry.settings.tagName'), render: (_v, d) => labels.named(d) },
    { key: 'kind', title: t('registry.settings.kind'), width: 180, render: (_v, d) => <Tag color={KIND_COLORS[d.kind]}>{t(`registry.common.kinds.${d.kind}`)}</Tag> },
    {
      key: 'interval',
      title: t('registry.settings.interval'),
      width: 110,
      render: (_v, d) => (d.visitIntervalDays ? t('registry.settings.intervalDays', { days: d.visitIntervalDays }) : t('registry.settings.intervalNone')),
    },
    { key: 'fields', title: t('registry.settings.fields'), ellipsis: true, render: (_v, d) => d.fields.map((f) => labels.tagField(f)).join(t('registry.common.listSep')) },
    {
      key: 'active',
      title: t('registry.settings.active'),
      width: 90,
      render: (_v, d) => (d.active ? <Tag color="green">{t('registry.settings.active')}</Tag> : <Tag>{t('registry.settings.inactive')}</Tag>),
    },
    { key: 'sort', title: t('registry.settings.sort'), width: 70, dataIndex: 'sort' },
    ...(canEdit
      ? [{
          key: 'actions',
          title: t('common.actions'),
          width: 90,
          render: (_v: unknown, d: TagDef) => (
            <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setTarget({ kind: 'edit', def: d })} data-testid={`tag-def-edit-${d.code}`}>
              {t('common.edit')}
            </Button>
          ),
        }]
      : []),
  ];

  return (
    <div data-testid="tag-defs">
      {canEdit && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ kind: 'new' })} className="registry-tab-action" data-testid="tag-def-create">
          {t('registry.settings.create')}
        </Button>
      )}
      {tags.isError && <Alert type="error" showIcon title={errorMessage(tags.error)} className="page-alert" />}
      <Table<TagDef>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={tags.data ?? []}
        loading={tags.isFetching}
        pagination={false}
        onRow={(d) => ({ 'data-testid': `tag-def-${d.code}` }) as object}
      />
      <TagDefDrawer target={target} labels={labels} onClose={() => setTarget(null)} />
    </div>
  );
}

interface Values {
  code: string;
  kind: TagDef['kind'];
  nameZh: string;
  nameEn: string;
  visitIntervalDays?: number | null;
  fields?: TagDef['fields'];
  active: boolean;
  sort: number;
}

function TagDefDrawer({ target, labels, onClose }: { target: Target; labels: RegistryLabels; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { save } = useTagDefMutations();
  const editing = target?.kind === 'edit' ? target.def : null;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.kind === 'edit') form.setFieldsValue({ ...target.def, fields: target.def.fields.map((f) => ({ ...f, options: f.options?.map((o) => ({ ...o })) })) });
    else form.setFieldsValue({ kind: 'care', active: true, sort: 100, fields: [], visitIntervalDays: 30 });
  }, [target, form]);

  const close = () => {
    save.reset();
    onClose();
  };

  const submit = (v: Values) => {
    const body: TagDefInput = {
      code: v.code.trim(),
      kind: v.kind,
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      visitIntervalDays: v.visitIntervalDays ?? null,
      active: v.active,
      sort: v.sort,
      fields: (v.fields ?? []).map((f) => ({
        key: f.key.trim(),
        labelZh: f.labelZh.trim(),
        labelEn: f.labelEn.trim(),
        type: f.type,
        required: f.required ?? false,
        ...(f.type === 'code' ? { options: (f.options ?? []).map((o) => ({ code: o.code.trim(), labelZh: o.labelZh.trim(), labelEn: o.labelEn.trim() })) } : {}),
      })),
    };
    save.mutate(body, {
      onSuccess: () => {
        void message.success(t('registry.settings.saved'));
        close();
      },
    });
  };

  return (
    <Drawer
      open={target !== null}
      size={760}
      onClose={close}
      forceRender
      title={editing ? t('registry.settings.editTitle', { name: labels.named(editing) }) : t('registry.settings.createTitle')}
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={save.isPending} testId="tag-def-submit" />}
    >
      {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} className="page-alert" />}
      <Form form={form} name="tagDefForm" layout="vertical" onFinish={submit} scrollToFirstError>
        <div className="registry-form-grid">
          <Form.Item name="code" label={t('registry.settings.tagCode')} extra={t('registry.settings.codeHint')} rules={[{ required: true, pattern: CODE, message: t('registry.settings.codeHint') }]}>
            <Input maxLength={30} disabled={editing !== null} autoComplete="off" />
          </Form.Item>
          <Form.Item name="kind" label={t('registry.settings.kind')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={(['care', 'special'] as const).map((k) => ({ value: k, label: t(`registry.common.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('registry.settings.nameZh')} rules={[{ required: true, whitespace: true, max: 40 }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('registry.settings.nameEn')} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="visitIntervalDays" label={t('registry.settings.interval')} extra={t('registry.settings.intervalHint')}>
            <InputNumber min={1} max={366} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="sort" label={t('registry.settings.sort')} rules={[{ required: true }]}>
            <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="active" label={t('registry.settings.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
        <Divider titlePlacement="start" plain>{t('registry.settings.fields')}</Divider>
        <TagFieldsEditor form={form} />
      </Form>
    </Drawer>
  );
}
