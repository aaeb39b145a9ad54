import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { RATINGS, type CaseAction, type Rating, type TransitionField } from '@wangge/contracts';
import { ApiError } from '../../api/client.ts';
import { caseQueries, useTransition, type CaseDetail, type TransitionInput } from '../../api/cases.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { useCaseLabels } from './caseLabels.ts';
import { AttachmentUpload } from './AttachmentUpload.tsx';
import { GridSelect, MergeTargetSelect, UnitSelect } from './TransitionFields.tsx';

interface Values {
  reason?: string;
  note?: string;
  unitId?: string;
  extensionValue?: number;
  extensionUnit?: 'hours' | 'days';
  targetCaseId?: string;
  rating?: Rating;
  gridId?: string;
  attachmentIds?: string[];
}

/** What the `note` of an action means, where it means more than "说明". */
const NOTE_WORDS: Partial<Record<CaseAction, 'result' | 'comment' | 'supervise' | 'decision' | 'topic'>> = {
  feedback: 'result', settle: 'result', rate: 'comment', supervise: 'supervise', council_decide: 'decision', convene: 'topic',
};

interface Props {
  detail: CaseDetail;
  action: CaseAction | null;
  onClose: () => void;
}

/**
 * One action on a case: asks exactly the fields the flow table requires or allows for it from the
 * case's state, sends them with the version the user saw. A 409 (someone else acted) closes the
 * dialog with the server's message and the case reloads. Test ids transition-modal, transition-submit,
 * fields #transition-reason, #transition-note, rating-<rating>.
 */
export function TransitionModal({ detail, action, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useCaseLabels();
  const [form] = Form.useForm<Values>();
  const flow = useQuery(caseQueries.flow());
  const fire = useTransition(detail.id);
  const [uploading, setUploading] = useState(false);

  const row = useMemo(
    () => (action ? flow.data?.transitions.find((x) => x.action === action && x.from.includes(detail.state)) : undefined),
    [flow.data, action, detail.state],
  );
  const fields = useMemo(() => {
    const need = new Set<TransitionField>(row?.requires ?? []);
    const all = [...(row?.requires ?? []), ...(row?.optional ?? [])];
    return { has: (f: TransitionField) => all.includes(f), required: (f: TransitionField) => need.has(f) };
  }, [row]);

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    fire.reset();
    if (action === 'dispatch' && detail.route?.unitId) form.setFieldValue('unitId', detail.route.unitId);
  }, [action]); // once per opening: a refreshed case must not wipe what is being typed

  const fieldLabel = (f: TransitionField) => {
    const word = labels.field(f);
    return word.charAt(0).toUpperCase() + word.slice(1);
  };
  const noteWord = action ? NOTE_WORDS[action] : undefined;
  const noteLabel = noteWord ? t(`cases.transition.note.${noteWord}`) : fieldLabel('note');
  const requiredRule = (f: TransitionField, label: string) =>
    fields.required(f) ? [{ required: true, whitespace: true, message: t('cases.transition.required', { field: label }) }] : [];

  const submit = (v: Values) => {
    if (!action) return;
    const text = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
    const body: TransitionInput = { action };
    if (fields.has('reason') && text(v.reason)) body.reason = text(v.reason);
    if (fields.has('note') && text(v.note)) body.note = text(v.note);
    if (fields.has('unitId') && v.unitId) body.unitId = v.unitId;
    if (fields.has('extension') && v.extensionValue) body.extension = { value: v.extensionValue, unit: v.extensionUnit ?? 'days' };
    if (fields.has('targetCaseId') && v.targetCaseId) body.targetCaseId = v.targetCaseId;
    if (fields.has('rating') && v.rating) body.rating = v.rating;
    if (fields.has('gridId') && v.gridId) body.gridId = v.gridId;
    if (fields.has('attachmentIds') && v.attachmentIds?.length) body.attachmentIds = v.attachmentIds;
    fire.mutate(
      { ...body, version: detail.version },
      {
        onSuccess: (after) => {
          void message.success(t('cases.transition.done', { action: labels.action(action), state: labels.state(after.state) }));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'case.conflict') {
            void message.warning(error.message);
            onClose();
          }
        },
      },
    );
  };

  const reasonLabel = fieldLabel('reason');
  return (
    <Modal
      open={action !== null}
      title={action ? labels.action(action) : ''}
      onCancel={onClose}
      width={560}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={onClose} loading={fire.isPending || uploading} okText={action ? labels.action(action) : undefined} testId="transition-submit" />}
    >
      <div data-testid="transition-modal" data-action={action ?? ''}>
        {fire.error && !(fire.error instanceof ApiError && fire.error.code === 'case.conflict') && (
          <Alert type="error" showIcon title={fire.error.message} className="page-alert" data-testid="transition-error" />
        )}
        {!row && flow.data && action && <Alert type="warning" showIcon title={t('cases.transition.notInFlow')} className="page-alert" />}
        <Form form={form} name="transition" layout="vertical" onFinish={submit} initialValues={{ extensionUnit: 'days' }}>
          {fields.has('rating') && (
            <Form.Item name="rating" label={fieldLabel('rating')} rules={fields.required('rating') ? [{ required: true, message: t('cases.transition.required', { field: fieldLabel('rating') }) }] : []}>
              <Radio.Group optionType="button" buttonStyle="solid" size="large">
                {RATINGS.map((r) => (
                  <Radio.Button key={r} value={r}>
                    <span data-testid={`rating-${r}`}>{labels.rating(r)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          {fields.has('unitId') && (
            <Form.Item name="unitId" label={fieldLabel('unitId')} rules={requiredRule('unitId', fieldLabel('unitId'))}>
              <UnitSelect suggested={detail.route?.unitId ?? null} />
            </Form.Item>
          )}
          {fields.has('targetCaseId') && (
            <Form.Item name="targetCaseId" label={fieldLabel('targetCaseId')} rules={requiredRule('targetCaseId', fieldLabel('targetCaseId'))}>
              <MergeTargetSelect detail={detail} />
            </Form.Item>
          )}
          {fields.has('gridId') && (
            <Form.Item name="gridId" label={fieldLabel('gridId')} rules={requiredRule('gridId', fieldLabel('gridId'))}>
              <GridSelect detail={detail} />
            </Form.Item>
          )}
          {fields.has('extension') && (
            <Form.Item label={fieldLabel('extension')} required={fields.required('extension')}>
              <Space.Compact>
                <Form.Item name="extensionValue" noStyle rules={fields.required('extension') ? [{ required: true, message: t('cases.transition.required', { field: fieldLabel('extension') }) }] : []}>
                  <InputNumber min={0.5} max={10000} step={1} style={{ width: 140 }} data-testid="transition-extension" />
                </Form.Item>
                <Form.Item name="extensionUnit" noStyle>
                  <Select style={{ width: 120 }} options={[{ value: 'hours', label: t('cases.transition.hours') }, { value: 'days', label: t('cases.transition.days') }]} />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          )}
          {fields.has('reason') && (
            <Form.Item name="reason" label={reasonLabel} rules={[...requiredRule('reason', reasonLabel), { min: 2, message: t('cases.transition.tooShort') }]}>
              <Input.TextArea id="transition-reason" rows={3} maxLength={2000} showCount />
            </Form.Item>
          )}
          {fields.has('note') && (
            <Form.Item name="note" label={noteLabel} rules={requiredRule('note', noteLabel)}>
              <Input.TextArea id="transition-note" rows={3} maxLength={4000} showCount />
            </Form.Item>
          )}
          {fields.has('attachmentIds') && (
            <Form.Item name="attachmentIds" label={fieldLabel('attachmentIds')} extra={t('cases.upload.hint')}>
              <AttachmentUpload onBusy={setUploading} />
            </Form.Item>
          )}
          {row && row.requires.length === 0 && row.optional.length === 0 && <p>{t('cases.transition.confirm', { action: labels.action(row.action) })}</p>}
        </Form>
      </div>
    </Modal>
  );
}
