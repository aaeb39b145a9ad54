import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useBuildingMutations, type BuildingView, type GridFeature } from '../../api/grids.ts';
import { DialogFooter } from '../DialogFooter.tsx';

interface Values {
  gridId: string;
  reason: string;
}

interface Props {
  building: BuildingView | null;
  /** Grids it can be assigned to. */
  grids: readonly GridFeature[];
  onClose: () => void;
}

/** Assigns a building to another grid by hand; the server requires a reason. Submit test id pin-submit. */
export function PinModal({ building, grids, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { pin } = useBuildingMutations();

  useEffect(() => {
    if (building) form.resetFields();
  }, [building, form]);

  const close = () => {
    pin.reset();
    onClose();
  };

  const submit = (values: Values) => {
    if (!building) return;
    pin.mutate(
      { id: building.id, gridId: values.gridId, reason: values.reason.trim() },
      {
        onSuccess: () => {
          void message.success(t('gridMap.buildings.pinDone'));
          close();
        },
      },
    );
  };

  const options = grids
    .filter((g) => g.id !== building?.gridId)
    .map((g) => ({ value: g.id, label: `${g.properties.name} · ${g.properties.code}` }));

  return (
    <Modal
      open={building !== null}
      title={t('gridMap.buildings.pinTitle', { name: building?.name ?? '' })}
      onCancel={close}
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={pin.isPending} testId="pin-submit" />}
      forceRender
    >
      {pin.error && <Alert type="error" showIcon title={errorMessage(pin.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} name="pin" layout="vertical" onFinish={submit}>
        <Form.Item name="gridId" label={t('gridMap.buildings.targetGrid')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('gridMap.buildings.reason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 300, message: t('gridMap.buildings.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
