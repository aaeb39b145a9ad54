import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { registryQueries, usePersonTagMutations, type PersonTag, type TagDef } from '../../api/registry.ts';
import { useCan } from '../../auth/session.tsx';
import { DialogFooter } from '../DialogFooter.tsx';
import { dateItemProps } from './FieldInput.tsx';
import { TagValueInputs, useTagValueText, useToday } from './TagValueInputs.tsx';
import type { RegistryLabels } from './registrySpec.ts';

const KIND_COLORS = { care: 'cyan', special: 'volcano' } as const;

type Editing = { kind: 'new' } | { kind: 'edit'; tag: PersonTag } | null;

interface FormValues {
  tag?: string;
  values?: Record<string, unknown>;
  attention?: string | null;
  nextVisitOn?: string | null;
  note?: string | null;
}

/**
 * A person's care and special-group tags (重点服务对象, 特殊人群), each with its follow-up fields,
 * attention level and next visit; add, edit, record a visit, end. The server leaves out special
 * groups for those without registry.special. Test ids person-tags, person-tag-<code>, person-tag-add.
 */
export function PersonTagsPanel({ personId, personName, labels }: { personId: string; personName: string; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const can = useCan();
  const canEdit = can('registry.manage');
  const tags = useQuery(registryQueries.personTags(personId));
  const { end } = usePersonTagMutations();
  const [editing, setEditing] = useState<Editing>(null);
  const [visiting, setVisiting] = useState<PersonTag | null>(null);
  const text = useTagValueText(labels);
  const defs = new Map(labels.tagDefs.map((d) => [d.code, d]));
  const held = new Set((tags.data ?? []).map((x) => x.tag));
  const addable = labels.tagDefs.filter((d) => d.active && !held.has(d.code) && (d.kind === 'care' || can('registry.special')));

  const confirmEnd = (tag: PersonTag) =>
    void modal.confirm({
      title: t('registry.tags.endConfirm', { tag: labels.named(tag) }),
      okButtonProps: { danger: true },
      onOk: () =>
        end
          .mutateAsync(tag.id)
          .then(() => void message.success(t('registry.tags.ended')))
          .catch((error: unknown) => void message.error(errorMessage(error))),
    });

  if (tags.isPending) return <Skeleton active />;
  if (tags.isError) return <Alert type="error" showIcon title={errorMessage(tags.error)} />;

  return (
    <div data-testid="person-tags">
      {can('registry.special') && <Typography.Paragraph type="secondary" className="audit-note">{t('registry.tags.specialHint')}</Typography.Paragraph>}
      {tags.data.length === 0 && <Empty description={t('registry.tags.none')} />}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {tags.data.map((tag) => {
          const def = defs.get(tag.tag);
          return (
            <Card
              key={tag.id}
              size="small"
              data-testid={`person-tag-${tag.tag}`}
              title={
                <Space size={8}>
                  <span>{labels.named(tag)}</span>
                  <Tag color={KIND_COLORS[tag.kind]}>{t(`registry.common.kinds.${tag.kind}`)}</Tag>
                  {tag.attention && <Tag color="gold">{labels.code('attention', tag.attention)}</Tag>}
                </Space>
              }
              extra={
                canEdit && (
                  <Space size={4}>
                    <Button size="small" icon={<CheckOutlined />} onClick={() => setVisiting(tag)} data-testid={`person-tag-visited-${tag.tag}`}>
                      {t('registry.tags.visited')}
                    </Button>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'edit', tag })} aria-label={t('common.edit')} />
                    <Button size="small" danger icon={<StopOutlined />} onClick={() => confirmEnd(tag)}>
                      {t('registry.tags.end')}
                    </Button>
                  </Space>
                )
              }
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'started', label: t('registry.tags.startedOn'), children: tag.startedOn },
                  { key: 'next', label: t('registry.tags.nextVisitOn'), children: tag.nextVisitOn ?? '—' },
                  { key: 'last', label: t('registry.tags.lastVisitOn'), children: tag.lastVisitOn ?? '—' },
                  {
                    key: 'interval',
                    label: t('registry.settings.interval'),
                    children: def?.visitIntervalDays ? t('registry.tags.interval', { days: def.visitIntervalDays }) : t('registry.tags.noInterval'),
                  },
                  ...(def?.fields ?? []).map((f) => ({ key: `v.${f.key}`, label: labels.tagField(f), children: text(f, tag.values[f.key]) || '—' })),
                  ...(tag.note ? [{ key: 'note', label: t('registry.tags.note'), children: tag.note }] : []),
                ]}
              />
            </Card>
          );
        })}
        {canEdit && (
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            disabled={addable.length === 0}
            onClick={() => setEditing({ kind: 'new' })}
            data-testid="person-tag-add"
          >
            {addable.length === 0 ? t('registry.tags.noneAvailable') : t('registry.tags.add')}
          </Button>
        )}
      </Space>
      <PersonTagModal personId={personId} personName={personName} editing={editing} addable={addable} defs={defs} labels={labels} onClose={() => setEditing(null)} />
      <VisitModal tag={visiting} labels={labels} onClose={() => setVisiting(null)} />
    </div>
  );
}

interface ModalProps {
  personId: string;
  personName: string;
  editing: Editing;
  addable: TagDef[];
  defs: Map<string, TagDef>;
  labels: RegistryLabels;
  onClose: () => void;
}

/** Adds a tag (choose it, then its follow-up fields) or edits one. Form name personTagForm; submit test id person-tag-submit. */
function PersonTagModal({ personId, personName, editing, addable, defs, labels, onClose }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { add, update } = usePersonTagMutations();
  const mutation = editing?.kind === 'edit' ? update : add;
  const chosen = Form.useWatch('tag', form);
  const code = editing?.kind === 'edit' ? editing.tag.tag : chosen;
  const def = code ? defs.get(code) : undefined;

  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    if (editing.kind === 'edit') {
      const { values, attention, nextVisitOn, note } = editing.tag;
      form.setFieldsValue({ values, attention, nextVisitOn, note });
    }
  }, [editing, form]);

  const close = () => {
    add.reset();
    update.reset();
    onClose();
  };

  const submit = (v: FormValues) => {
    const body = {
      values: Object.fromEntries(Object.entries(v.values ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== '')),
      attention: v.attention ?? null,
      nextVisitOn: v.nextVisitOn ?? null,
      note: v.note?.trim() || null,
    };
    if (editing?.kind === 'edit') {
      update.mutate({ tagId: editing.tag.id, ...body }, { onSuccess: () => { void message.success(t('registry.tags.saved')); close(); } });
    } else if (v.tag) {
      add.mutate({ personId, tag: v.tag, ...body }, { onSuccess: () => { void message.success(t('registry.tags.added')); close(); } });
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={editing?.kind === 'edit' ? t('registry.tags.editTitle', { tag: labels.named(editing.tag) }) : t('registry.tags.addTitle', { name: personName })}
      onCancel={close}
      width={640}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="person-tag-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} className="page-alert" />}
      <Form form={form} name="personTagForm" layout="vertical" onFinish={submit}>
        {editing?.kind !== 'edit' && (
          <Form.Item name="tag" label={t('registry.tags.tag')} rules={[{ required: true, message: t('common.pick', { field: t('registry.tags.tag') }) }]}>
            <Select
              data-testid="person-tag-select"
              placeholder={t('common.pick', { field: t('registry.tags.tag') })}
              options={(['care', 'special'] as const)
                .map((kind) => ({
                  label: t(`registry.common.kinds.${kind}`),
                  options: addable.filter((d) => d.kind === kind).map((d) => ({ value: d.code, label: labels.named(d) })),
                }))
                .filter((g) => g.options.length > 0)}
            />
          </Form.Item>
        )}
        {def && def.fields.length > 0 && <TagValueInputs def={def} labels={labels} />}
        <div className="registry-form-grid">
          <Form.Item name="attention" label={t('registry.tags.attention')}>
            <Select allowClear options={labels.options('attention')} />
          </Form.Item>
          <Form.Item
            name="nextVisitOn"
            label={t('registry.tags.nextVisitOn')}
            extra={def?.visitIntervalDays ? t('registry.tags.interval', { days: def.visitIntervalDays }) : undefined}
            {...dateItemProps}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="note" label={t('registry.tags.note')} rules={[{ max: 500 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Records a visit on a day (today by default); the server schedules the next one. */
export function VisitModal({ tag, labels, onClose }: { tag: { id: string; nameZh: string; nameEn: string } | null; labels: RegistryLabels; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<{ visitedOn: string }>();
  const { update } = usePersonTagMutations();

  useEffect(() => {
    if (tag) form.setFieldsValue({ visitedOn: today() });
  }, [tag, form, today]);

  const close = () => {
    update.reset();
    onClose();
  };
  const submit = ({ visitedOn }: { visitedOn: string }) => {
    if (!tag) return;
    update.mutate({ tagId: tag.id, visitedOn }, { onSuccess: () => { void message.success(t('registry.tags.visitedDone')); close(); } });
  };

  return (
    <Modal
      open={tag !== null}
      title={tag ? t('registry.tags.visitedTitle', { tag: labels.named(tag) }) : ''}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={update.isPending} testId="visit-submit" />}
    >
      {update.error && <Alert type="error" showIcon title={errorMessage(update.error)} className="page-alert" />}
      <Form form={form} name="visitForm" layout="vertical" onFinish={submit}>
        <Form.Item name="visitedOn" label={t('registry.tags.visitedOn')} extra={t('registry.tags.visitedHint')} rules={[{ required: true }]} {...dateItemProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
