import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AreaDetail } from '@wangge/contracts';
import { useUpdateArea } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';

interface Values {
  nameZh: string;
  nameEn: string;
}

interface Props {
  area: AreaDetail | null;
  onClose: () => void;
  onSaved: (area: AreaDetail) => void;
}

/** Renames an area (Chinese and English). Field ids: areaEdit_nameZh, areaEdit_nameEn; submit test id area-edit-submit. */
export function AreaEditModal({ area, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateArea();

  useEffect(() => {
    if (area) form.setFieldsValue({ nameZh: area.nameZh, nameEn: area.nameEn ?? '' });
  }, [area, form]);

  const close = () => {
    update.reset();
    onClose();
  };

  const submit = (values: Values) => {
    if (!area) return;
    const nameEn = values.nameEn.trim();
    update.mutate(
      { id: area.id, nameZh: values.nameZh.trim(), nameEn: nameEn === '' ? null : nameEn },
      {
        onSuccess: (saved) => {
          void message.success(t('areas.updated'));
          onSaved(saved);
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={area !== null}
      title={t('areas.editTitle')}
      onCancel={close}
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={update.isPending} testId="area-edit-submit" />}
      forceRender
    >
      {update.error && <Alert type="error" showIcon title={errorMessage(update.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="areaEdit" layout="vertical" onFinish={submit}>
        <Form.Item name="nameZh" label={t('areas.nameZh')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('areas.nameEn')} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t('areas.nameEnPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
