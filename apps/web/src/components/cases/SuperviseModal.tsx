import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useListTransition, type CaseListItem } from '../../api/cases.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { useCategoryName } from './CategoryCascader.tsx';

interface Props {
  target: CaseListItem | null;
  onClose: () => void;
}

/** The board's quick 督办: a note to the unit and the owning level, sent with the version the list showed. Test ids supervise-note, supervise-submit. */
export function SuperviseModal({ target, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const fire = useListTransition();
  const categoryName = useCategoryName();

  useEffect(() => {
    if (target) {
      form.resetFields();
      fire.reset();
    }
  }, [target]); // once per opening

  const submit = ({ note }: { note: string }) => {
    if (!target) return;
    fire.mutate(
      { id: target.id, version: target.version, action: 'supervise', note: note.trim() },
      {
        onSuccess: () => {
          void message.success(t('cases.supervision.done', { no: target.no }));
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

  return (
    <Modal
      open={target !== null}
      title={t('cases.supervision.modalTitle', { no: target?.no ?? '' })}
      onCancel={onClose}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={onClose} loading={fire.isPending} okText={t('cases.supervision.send')} testId="supervise-submit" />}
    >
      {fire.error && !(fire.error instanceof ApiError && fire.error.code === 'case.conflict') && (
        <Alert type="error" showIcon title={fire.error.message} className="page-alert" />
      )}
      {target && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
          {categoryName(target.categoryId, target.categoryName)} · {target.description}
        </Typography.Paragraph>
      )}
      <Form form={form} name="supervise" layout="vertical" onFinish={submit}>
        <Form.Item
          name="note"
          label={t('cases.transition.note.supervise')}
          rules={[{ required: true, whitespace: true, message: t('cases.transition.required', { field: t('cases.transition.note.supervise') }) }]}
          extra={t('cases.supervision.noteHint')}
        >
          <Input.TextArea id="supervise-note" rows={3} maxLength={4000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
