import { useEffect } from 'react';
import { Alert, App, Drawer, Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isSensitiveType } from '@wangge/contracts';
import { useRecordMutations, type RegistryRecord } from '../../api/registry.ts';
import { errorMessage } from '../../api/client.ts';
import { AreaTreeSelect } from '../AreaTreeSelect.tsx';
import { DialogFooter } from '../DialogFooter.tsx';
import { FieldInput } from './FieldInput.tsx';
import { parentFieldOf, recordTitle, writableFields, type LedgerSpec, type RegistryLabels } from './registrySpec.ts';

/**
 * `null`: closed; 'new': a new record (with `preset` values, e.g. the household a member joins, and
 * the titles of the records preset references point to); or a record to edit.
 */
export type RecordFormTarget =
  | { kind: 'new'; preset?: Record<string, unknown>; refs?: Record<string, string | null> }
  | { kind: 'edit'; record: RegistryRecord }
  | null;

const GRID = '__gridId';
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const clean = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

interface Props {
  spec: LedgerSpec;
  labels: RegistryLabels;
  target: RecordFormTarget;
  onClose: () => void;
  onSaved?: (record: RegistryRecord) => void;
}

/**
 * Adds or edits a record of any ledger, every field from the ledger table (derived ones are left
 * to the server). The grid is asked for where the ledger needs it: always for `area` ledgers, for
 * `parent` ledgers when the parent is empty; `point` ledgers are placed by their coordinates.
 * An update sends only what changed, with the version read (a stale one answers the server's
 * conflict message). Form name recordForm; grid id recordForm___gridId; submit test id record-form-submit.
 */
export function RecordFormDrawer({ spec, labels, target, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const { create, update } = useRecordMutations(spec.key);
  const editing = target?.kind === 'edit' ? target.record : null;
  const mutation = editing ? update : create;
  const fields = writableFields(spec);
  const parent = parentFieldOf(spec);
  const parentValue = Form.useWatch(parent?.key ?? GRID, form) as unknown;
  const gridNeeded = spec.locate === 'area' || (spec.locate === 'parent' && blank(parentValue));
  const derivesFromId = spec.fields.some((f) => f.key === 'birthDate');
  const refTitles = (target?.kind === 'edit' ? target.record.refs : target?.refs) ?? {};

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.kind === 'edit') {
      const values: Record<string, unknown> = { [GRID]: target.record.gridId };
      for (const f of fields) if (!isSensitiveType(f.type)) values[f.key] = target.record.values[f.key] ?? undefined;
      form.setFieldsValue(values);
    } else if (target.preset) {
      form.setFieldsValue(target.preset);
    }
    // Only when the drawer opens: a refresh meanwhile must not overwrite what was typed.
  }, [target, form]); // eslint-disable-line react-hooks/exhaustive-deps

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };

  const submit = (all: Record<string, unknown>) => {
    const gridId = typeof all[GRID] === 'string' ? (all[GRID] as string) : undefined;
    if (!editing) {
      const values: Record<string, unknown> = {};
      for (const f of fields) if (!blank(all[f.key])) values[f.key] = clean(all[f.key]);
      create.mutate(
        { values, gridId: gridNeeded ? gridId : undefined },
        {
          onSuccess: (record) => {
            void message.success(t('registry.form.created', { title: recordTitle(spec, record.values) }));
            close();
            onSaved?.(record);
          },
        },
      );
      return;
    }
    const values: Record<string, unknown> = {};
    for (const f of fields) {
      const next = blank(all[f.key]) ? null : clean(all[f.key]);
      if (isSensitiveType(f.type)) {
        if (next !== null) values[f.key] = next;
        continue;
      }
      const before = editing.values[f.key] ?? null;
      if (String(next ?? '') !== String(before ?? '')) values[f.key] = next;
    }
    const gridChanged = gridNeeded && gridId !== undefined && gridId !== editing.gridId;
    if (Object.keys(values).length === 0 && !gridChanged) {
      void message.info(t('registry.form.noChanges'));
      close();
      return;
    }
    update.mutate(
      { id: editing.id, version: editing.version, values, gridId: gridChanged ? gridId : undefined },
      {
        onSuccess: (record) => {
          void message.success(t('registry.form.saved'));
          close();
          onSaved?.(record);
        },
      },
    );
  };

  const title = editing
    ? t('registry.form.editTitle', { ledger: labels.ledger(spec.key), title: recordTitle(spec, editing.values) })
    : t('registry.form.createTitle', { ledger: labels.ledger(spec.key) });

  return (
    <Drawer
      open={target !== null}
      title={title}
      size={760}
      onClose={close}
      forceRender
      // Above the record's drawer it is opened from (both are mounted at the page, this one first).
      zIndex={1001}
      data-testid="record-form"
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="record-form-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} className="page-alert" data-testid="record-form-error" />}
      <Form form={form} name="recordForm" layout="vertical" onFinish={submit} scrollToFirstError className="registry-form">
        <div className="registry-form-grid">
          {fields.map((f) => (
            <FieldInput key={f.key} field={f} labels={labels} record={editing} refTitles={refTitles} derivesFromId={derivesFromId} />
          ))}
        </div>
        {spec.locate === 'point' ? (
          <Typography.Paragraph type="secondary">{t('registry.form.pointHint')}</Typography.Paragraph>
        ) : (
          <Form.Item
            name={GRID}
            label={t('registry.form.grid')}
            hidden={!gridNeeded}
            extra={parent ? t('registry.form.gridParentHint', { field: labels.field(parent) }) : t('registry.form.gridHint')}
            rules={gridNeeded ? [{ required: true, message: t('registry.form.gridRequired') }] : []}
          >
            <AreaTreeSelect placeholder={t('registry.form.gridRequired')} data-testid="record-form-grid" />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
