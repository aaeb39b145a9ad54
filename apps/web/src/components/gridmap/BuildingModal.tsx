import { useEffect } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useBuildingMutations } from '../../api/grids.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import type { LngLat } from './geometry.ts';

interface Values {
  name: string;
  code: string;
  address: string;
  floors: number | null;
}

interface Props {
  /** Where the building was clicked on the map; null when closed. */
  at: LngLat | null;
  onClose: () => void;
}

/** Places a building at a clicked location; the server puts it in the grid that contains the point. Submit test id building-submit. */
export function BuildingModal({ at, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { create } = useBuildingMutations();

  useEffect(() => {
    if (at) form.resetFields();
  }, [at, form]);

  const close = () => {
    create.reset();
    onClose();
  };

  const submit = (values: Values) => {
    if (!at) return;
    const optional = (v: string) => (v.trim() ? v.trim() : undefined);
    const code = optional(values.code);
    const address = optional(values.address);
    create.mutate(
      { name: values.name.trim(), lon: at[0], lat: at[1], ...(code ? { code } : {}), ...(address ? { address } : {}), ...(values.floors ? { floors: values.floors } : {}) },
      {
        onSuccess: (b) => {
          void message.success(t('gridMap.buildings.created', { grid: b.gridName ?? b.gridCode ?? '' }));
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={at !== null}
      title={t('gridMap.buildings.addTitle')}
      onCancel={close}
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={create.isPending} testId="building-submit" />}
      forceRender
    >
      {create.error && <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="building" layout="vertical" onFinish={submit} initialValues={{ name: '', code: '', address: '', floors: null }}>
        <Form.Item label={t('gridMap.buildings.location')}>
          <Typography.Text>{at ? `${at[0].toFixed(6)}, ${at[1].toFixed(6)}` : ''}</Typography.Text>
        </Form.Item>
        <Form.Item name="name" label={t('gridMap.buildings.name')} rules={[{ required: true, whitespace: true, max: 80 }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="code" label={t('gridMap.buildings.code')} rules={[{ max: 40 }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="address" label={t('gridMap.buildings.address')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="floors" label={t('gridMap.buildings.floors')}>
          <InputNumber min={1} max={200} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
